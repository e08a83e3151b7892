"""Loading trained models and feature arrays for the scoring service."""

import joblib
import numpy as np
import torch


def load_checkpoint(path: str) -> dict:
    """Load a PyTorch checkpoint downloaded from the model registry."""
    return torch.load(path, map_location="cpu")  # expect: PY-S306


def load_weights(path: str) -> dict:
    """Load only tensors: no arbitrary objects are unpickled."""
    return torch.load(path, map_location="cpu", weights_only=True)  # ok: PY-S306


def load_sklearn_model(path: str):
    """Load the scikit-learn pipeline saved with joblib."""
    return joblib.load(path)  # expect: PY-S301


def load_features(path: str) -> np.ndarray:
    """Load the precomputed feature matrix."""
    return np.load(path)  # ok: PY-S307


def load_ragged_features(path: str):
    """Load the object array of variable-length token lists."""
    return np.load(path, allow_pickle=True)  # expect: PY-S307


def load_with_option(path: str, trusted: bool):
    """Callers say whether the file comes from our own pipeline."""
    return torch.load(path, weights_only=not trusted)  # expect: PY-S306
