//! Output formats: human (miette), JSON, SARIF, GitHub annotations.
