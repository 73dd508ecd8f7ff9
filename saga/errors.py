"""Errors: business failures are results the saga compensates; technical faults are retried."""


class SagaError(Exception):
    """Base of every error raised by the domain core."""


class TechnicalFault(SagaError):
    """A transient or infrastructure problem: retried with backoff, then a failed step."""


class StoreUnavailable(TechnicalFault):
    """The document store could not be reached or answered with a server error."""


class ConcurrencyExhausted(TechnicalFault):
    """An ETag-conditional update kept losing the race after the bounded number of attempts."""


class AlreadyExists(SagaError):
    """``create`` met a document with the same id (Cosmos 409): usually means "already done"."""


class PreconditionFailed(SagaError):
    """``replace`` met a newer ETag or a missing document (Cosmos 412/404): re-read and decide."""


class NotFound(PreconditionFailed):
    """A read, patch or delete in a batch (or a patch) met no document (Cosmos 404)."""


class BatchFailed(SagaError):
    """One operation of a transactional batch failed, so none took effect: ``index`` names it,
    ``cause`` says why (AlreadyExists, NotFound or PreconditionFailed)."""

    def __init__(self, index: int, cause: SagaError) -> None:
        super().__init__(f"batch operation {index} failed: {cause}")
        self.index = index
        self.cause = cause
