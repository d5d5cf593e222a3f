"""The Redis channel layer with one reader per process instead of one per socket.

channels-redis already sends a group message once per server process (one Redis entry
naming every socket of that process). Its ``receive``, though, makes every waiting
socket race for a lock with two fresh tasks and an ``asyncio.wait`` each time, and
cancels the losers: with 250 sockets in a debate, one post costs hundreds of task
creations and cancellations per process before the first frame is written, and the
last socket waits for all of them.

Here each process has one reader task per event loop that pops the process's messages
from Redis (channels-redis' keys, expiry, capacity and in-flight backup) and drops each
one into the queues of the sockets it names; a socket's ``receive`` is a plain
``Queue.get``. Everything else (``send``, groups, ``flush``) is channels-redis
unchanged. When Redis fails, every socket with a queue gets the error, as each would
have from its own read, and the next ``receive`` starts a new reader.

The reader pops with a short server-side timeout and looks around between two pops, so
it stops on its own (never only because it was cancelled):

* when it was cancelled, even if the cancellation was swallowed on the way down: on
  Python 3.11 ``asyncio.wait_for`` (redis-py's send with a socket timeout) drops a
  cancellation that lands as the send completes, and a reader that carried on kept
  the event loop of a finished test from closing;
* when no socket has waited for a message for a while (a consumer's ``receive``
  cancelled before it ever ran, as channels does when a socket closes, cleans up
  nothing);
* when the process moved to another event loop (tests run one per test): the new
  loop gets a fresh reader, queues and locks.
"""

import asyncio
import contextlib
import time

from channels_redis.core import ChannelLock, RedisChannelLayer
from redis.exceptions import TimeoutError as RedisTimeoutError

# A failed read is tried again once at once (a pooled connection Redis dropped) before
# every socket is told; a read that timed out is tried again this many times. Errors
# further apart than ERRORS_FORGOTTEN_S do not add up.
READ_RETRIES = 1
TIMEOUT_RETRIES = 3
ERRORS_FORGOTTEN_S = 30.0


class _Failure:
    __slots__ = ("error",)

    def __init__(self, error):
        self.error = error


class FanOutRedisChannelLayer(RedisChannelLayer):
    # The blocking pop gives up on the server side before redis-py's socket timeout,
    # and it is how often the reader looks around (cancelled? anyone still waiting?);
    # a test's event loop waits up to this long for the reader to notice it is done.
    brpop_timeout = 1

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._loop = None  # the event loop everything below belongs to
        self._reset()

    def _reset(self):
        # Process-local channel name -> Queue of messages not received yet. A queue
        # exists while a receive waits on it or while it holds messages.
        self._queues = {}
        self._touched = {}  # name -> when a receive last waited on or took from it
        self._waiting = 0  # receives waiting right now
        self._idle_since = time.monotonic()  # when _waiting last fell to 0
        self._reader = None

    async def receive(self, channel):
        if "!" not in channel:
            return await super().receive(channel)  # a shared channel: as channels-redis
        self.require_valid_channel_name(channel)  # raises on a bad name
        self._bind_loop()
        queue = self._queues.get(channel)
        if queue is None:
            queue = self._queues[channel] = asyncio.Queue()
        if self._reader is None or self._reader.done():
            self._reader = asyncio.get_running_loop().create_task(
                self._read(self.non_local_name(channel))
            )
        self._waiting += 1
        self._touched[channel] = time.monotonic()
        try:
            item = await queue.get()
        except asyncio.CancelledError:
            # The socket is gone (channels cancels its receive when the consumer ends);
            # with the last one, the reader goes too.
            if self._waiting == 1 and self._loop is asyncio.get_running_loop():
                self._stop_reader()
            raise
        finally:
            self._leave(channel, queue)
        if isinstance(item, _Failure):
            raise item.error  # the socket closes with "try again"
        return item

    def _leave(self, channel, queue):
        if self._queues.get(channel) is not queue:
            return  # the state was reset meanwhile (another loop)
        self._waiting -= 1
        if not self._waiting:
            self._idle_since = time.monotonic()
        self._touched[channel] = time.monotonic()
        if queue.empty():
            # The reader makes a new one for the next message; a socket that never
            # comes back leaves nothing behind.
            del self._queues[channel]
            del self._touched[channel]

    def _bind_loop(self):
        loop = asyncio.get_running_loop()
        if self._loop is loop:
            return
        if self._loop is not None:
            # Another event loop: the sockets, queues and locks of the old one are gone
            # with it (a reader stopped as its loop closed may still hold its lock).
            self._stop_reader()
            self.receive_clean_locks = ChannelLock()
            self.receive_cleaners = []
            self._reset()
        self._loop = loop

    def _stop_reader(self):
        task, self._reader = self._reader, None
        if task is not None:
            with contextlib.suppress(RuntimeError):  # its loop may be closed
                task.cancel()

    def _should_stop(self, me):
        if me.cancelling():
            return True  # cancelled, and the CancelledError was swallowed below
        if self._reader is not me:
            return True  # replaced (another loop, or stopped by the last socket)
        return not self._waiting and (
            time.monotonic() - self._idle_since >= self.brpop_timeout
        )

    async def _read(self, real_channel):
        me = asyncio.current_task()
        failures = timeouts = 0
        last_error_at = float("-inf")
        try:
            while not self._should_stop(me):
                try:
                    received = await self._receive_once(real_channel)
                except asyncio.CancelledError:
                    raise
                except Exception as error:
                    if me.cancelling():
                        raise asyncio.CancelledError from error  # cancelled mid-error
                    now = time.monotonic()
                    if now - last_error_at > ERRORS_FORGOTTEN_S:
                        failures = timeouts = 0
                    last_error_at = now
                    if isinstance(error, RedisTimeoutError) and timeouts < TIMEOUT_RETRIES:
                        timeouts += 1
                        continue
                    if not isinstance(error, RedisTimeoutError) and failures < READ_RETRIES:
                        failures += 1
                        continue
                    # Redis went away: every socket hears it and closes with "try again".
                    failure = _Failure(error)
                    for queue in self._queues.values():
                        queue.put_nowait(failure)
                    return
                if received is None:
                    self._forget_stale_queues()
                    continue
                failures = timeouts = 0
                target, message = received
                for name in target if isinstance(target, list) else (target,):
                    queue = self._queues.get(name)
                    if queue is None:
                        # Its socket is between two receives (or gone: then it is
                        # forgotten after the layer's expiry).
                        queue = self._queues[name] = asyncio.Queue()
                        self._touched[name] = time.monotonic()
                    queue.put_nowait(message)
        finally:
            if self._reader is me:
                self._reader = None

    def _forget_stale_queues(self):
        """Drop messages for sockets that have not asked for one within the layer's
        expiry: they are gone (Redis would have expired the messages by now too)."""
        too_old = time.monotonic() - self.expiry
        for name, at in list(self._touched.items()):
            queue = self._queues.get(name)
            # An empty queue has a receive waiting on it.
            if at < too_old and (queue is None or queue.qsize()):
                self._queues.pop(name, None)
                del self._touched[name]

    async def _receive_once(self, real_channel):
        """One blocking pop of this process's messages: ``(channel or channels,
        message)``, or None when nothing came within ``brpop_timeout``. channels-redis'
        ``receive_single`` without its loop, so the reader looks around between pops."""
        index = self.consistent_hash(real_channel)
        channel_key = self.prefix + real_channel
        await self.receive_clean_locks.acquire(channel_key)
        try:
            content = await self._brpop_with_clean(
                index, channel_key, timeout=self.brpop_timeout
            )
        except BaseException:
            self.receive_clean_locks.release(channel_key)
            raise
        if content is None:
            self.receive_clean_locks.release(channel_key)
            return None
        # The message is safe in the in-flight backup until this removes it; the lock
        # keeps the next pop from putting the backup back first.
        cleaner = asyncio.ensure_future(self._clean_receive_backup(index, channel_key))
        self.receive_cleaners.append(cleaner)

        def cleaned(cleaner):
            with contextlib.suppress(ValueError):  # the state was reset meanwhile
                self.receive_cleaners.remove(cleaner)
            with contextlib.suppress(KeyError, RuntimeError):
                self.receive_clean_locks.release(channel_key)

        cleaner.add_done_callback(cleaned)
        message = self.deserialize(content)
        return message.pop("__asgi_channel__", real_channel), message
