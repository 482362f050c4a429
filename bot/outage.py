"""A message whose custom action fails is not half-processed: nothing is saved, the user is asked to resend.

Rasa 3.6 logs a failing custom action (action server down, a bug, a timeout) and carries on without its
events: the user gets `[]`, and a consultation answer given then is stored as text with no slot set,
so the form asks again as if it had never been answered. Here the REST channel opens a `watch()` around
each message; a failed `RemoteAction.run` is noted in it, and saving that message's tracker is refused
with `ActionFailed`. The conversation stays as it was before the message, the channel answers with its
temporary-error reply, and the resent message is processed as if it were the first. Installed in the
Rasa server process by `bot.channels`.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.processor import MessageProcessor
from rasa.shared.core.trackers import DialogueStateTracker

# Names of the custom actions that failed while the current message was processed (None: not watched).
_failed: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("failed_actions", default=None)


class ActionFailed(Exception):
    """A custom action failed while a message was processed, so the message was not saved."""


@contextlib.contextmanager
def watch() -> Iterator[list[str]]:
    """Note failed custom actions while the block processes one message; yields their names."""
    failed: list[str] = []
    token = _failed.set(failed)
    try:
        yield failed
    finally:
        _failed.reset(token)


_original_run = RemoteAction.run
_original_save = MessageProcessor.save_tracker


async def _run(self: RemoteAction, *args: Any, **kwargs: Any) -> Any:
    """RemoteAction.run, noting a failure in the current watch."""
    try:
        return await _original_run(self, *args, **kwargs)
    except ActionExecutionRejection:
        raise  # a form rejecting its input is part of the dialogue, not a failure
    except Exception:
        failed = _failed.get()
        if failed is not None:
            failed.append(self.name())
        raise


async def _save_tracker(self: MessageProcessor, tracker: DialogueStateTracker) -> None:
    """MessageProcessor.save_tracker, refusing to save a message whose actions failed."""
    failed = _failed.get()
    if failed:
        raise ActionFailed(f"custom action {failed[0]} failed; conversation {tracker.sender_id} not saved")
    await _original_save(self, tracker)


def install() -> None:
    """Patch Rasa so that `watch()` sees failing custom actions and their messages are not saved."""
    RemoteAction.run = _run  # type: ignore[method-assign]
    MessageProcessor.save_tracker = _save_tracker  # type: ignore[method-assign]
