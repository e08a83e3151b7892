//! Basic-block control-flow graph derived from a structured body.
