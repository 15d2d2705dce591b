"""Offline switches: nothing here may reach a model hub or send telemetry."""

import os

_SWITCHES = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",  # Chroma's posthog telemetry
    "TOKENIZERS_PARALLELISM": "false",
    "DO_NOT_TRACK": "1",
}


def enforce_offline() -> None:
    """Set the offline/telemetry switches before any heavy library is imported."""
    for key, value in _SWITCHES.items():
        os.environ[key] = value
