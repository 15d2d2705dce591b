"""Query side: hybrid retrieval, grounded answers with citations, the CLI and the web chat."""

from index.offline import enforce_offline

enforce_offline()
