"""org.mpris.MediaPlayer2.Player: the buttons (each a key on the player's queue) and the
workout's state as properties: the current block as the track, the routine as the album."""

from collections.abc import Callable

from dbus_fast.annotations import DBusBool, DBusDict, DBusDouble, DBusInt64, DBusObjectPath, DBusStr
from dbus_fast.constants import PropertyAccess
from dbus_fast.service import ServiceInterface, dbus_method, dbus_property, dbus_signal
from dbus_fast.signature import Variant

from voicecoach.coach.position import Snapshot
from voicecoach.playback.controls import (
    MEDIA_NEXT,
    MEDIA_PAUSE,
    MEDIA_PLAY,
    MEDIA_PLAY_PAUSE,
    MEDIA_PREVIOUS,
    MEDIA_STOP,
)

NO_TRACK = "/org/mpris/MediaPlayer2/TrackList/NoTrack"


def title(snapshot: Snapshot) -> str:
    """ "Wide-grip pushups, set 2 of 3", "Rest, then Plank", "Workout complete"."""
    words = [snapshot.step]
    if snapshot.rounds:
        words.append(f"round {snapshot.round_no} of {snapshot.rounds}")
    if snapshot.sets and snapshot.activity == "work":
        words.append(f"set {snapshot.set_no} of {snapshot.sets}")
    if snapshot.side:
        words.append(f"{snapshot.side} side")
    text = ", ".join(words)
    if snapshot.activity != "work" and snapshot.next_step:
        text += f", then {snapshot.next_step}"
    return text


def status(snapshot: Snapshot) -> str:
    if snapshot.activity == "done":
        return "Stopped"
    return "Paused" if snapshot.paused else "Playing"


def metadata(snapshot: Snapshot) -> dict[str, Variant]:
    return {
        "mpris:trackid": Variant("o", f"/org/voicecoach/block/{snapshot.block_no + 1}"),
        "mpris:length": Variant("x", round(snapshot.block_s * 1e6)),
        "xesam:title": Variant("s", title(snapshot)),
        "xesam:album": Variant("s", snapshot.routine),
        "xesam:artist": Variant("as", [snapshot.section or "voicecoach"]),
    }


def position_us(snapshot: Snapshot) -> int:
    return max(round((snapshot.block_s - snapshot.left_s) * 1e6), 0)


class PlayerInterface(ServiceInterface):
    def __init__(self, press: Callable[[str], None]) -> None:
        super().__init__("org.mpris.MediaPlayer2.Player")
        self._press = press
        self.snapshot: Snapshot | None = None

    # -- the buttons ------------------------------------------------------------------------

    @dbus_method()
    def Next(self) -> None:
        self._press(MEDIA_NEXT)

    @dbus_method()
    def Previous(self) -> None:
        self._press(MEDIA_PREVIOUS)

    @dbus_method()
    def Pause(self) -> None:
        self._press(MEDIA_PAUSE)

    @dbus_method()
    def PlayPause(self) -> None:
        self._press(MEDIA_PLAY_PAUSE)

    @dbus_method()
    def Stop(self) -> None:
        self._press(MEDIA_STOP)

    @dbus_method()
    def Play(self) -> None:
        self._press(MEDIA_PLAY)

    @dbus_method()
    def Seek(self, offset: DBusInt64) -> None:
        """Not supported (CanSeek is false): a workout goes by steps (Next, Previous)."""

    @dbus_method()
    def SetPosition(self, track_id: DBusObjectPath, position: DBusInt64) -> None:
        """Not supported (CanSeek is false)."""

    @dbus_method()
    def OpenUri(self, uri: DBusStr) -> None:
        """Not supported (no URI schemes)."""

    @dbus_signal()
    def Seeked(self, position: DBusInt64) -> DBusInt64:
        return position

    # -- the state --------------------------------------------------------------------------

    @dbus_property(access=PropertyAccess.READ)
    def PlaybackStatus(self) -> DBusStr:
        return status(self.snapshot) if self.snapshot else "Playing"

    @dbus_property(access=PropertyAccess.READ)
    def Metadata(self) -> DBusDict:
        if self.snapshot is None:
            return {"mpris:trackid": Variant("o", NO_TRACK)}
        return metadata(self.snapshot)

    @dbus_property(access=PropertyAccess.READ)
    def Position(self) -> DBusInt64:
        return position_us(self.snapshot) if self.snapshot else 0

    @dbus_property(access=PropertyAccess.READ)
    def Rate(self) -> DBusDouble:
        return 1.0

    @dbus_property(access=PropertyAccess.READ)
    def MinimumRate(self) -> DBusDouble:
        return 1.0

    @dbus_property(access=PropertyAccess.READ)
    def MaximumRate(self) -> DBusDouble:
        return 1.0

    @dbus_property(access=PropertyAccess.READ)
    def Volume(self) -> DBusDouble:
        return 1.0

    @dbus_property(access=PropertyAccess.READ)
    def CanGoNext(self) -> DBusBool:
        return True

    @dbus_property(access=PropertyAccess.READ)
    def CanGoPrevious(self) -> DBusBool:
        return True

    @dbus_property(access=PropertyAccess.READ)
    def CanPlay(self) -> DBusBool:
        return True

    @dbus_property(access=PropertyAccess.READ)
    def CanPause(self) -> DBusBool:
        return True

    @dbus_property(access=PropertyAccess.READ)
    def CanSeek(self) -> DBusBool:
        return False

    @dbus_property(access=PropertyAccess.READ)
    def CanControl(self) -> DBusBool:
        return True
