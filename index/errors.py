"""Domain errors. The CLI and the web chat each turn them into user messages once."""


class AssistantError(Exception):
    """Base class: the message is safe to show to a user (Vietnamese)."""


class IndexNotBuilt(AssistantError):
    """No served index exists yet for the configured embedding model."""


class UnreadableDocument(AssistantError):
    """A corpus file could not be turned into text; the reason is the message."""


class EmptyQuestion(AssistantError):
    """The question or query has nothing to search for."""


class UnknownFilter(AssistantError):
    """A filter value that the manifest does not know."""


class BuildFailed(AssistantError):
    """An index build failed; the previously served index is untouched."""


class ConfigError(AssistantError):
    """A setting has a value that cannot be used."""
