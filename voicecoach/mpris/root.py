"""org.mpris.MediaPlayer2: who the player is, and Quit."""

from collections.abc import Callable
from typing import Annotated

from dbus_fast.annotations import DBusBool, DBusSignature, DBusStr
from dbus_fast.constants import PropertyAccess
from dbus_fast.service import ServiceInterface, dbus_method, dbus_property

from voicecoach.playback.controls import MEDIA_STOP

IDENTITY = "voicecoach"
DBusStrings = Annotated[list[str], DBusSignature("as")]


class RootInterface(ServiceInterface):
    def __init__(self, press: Callable[[str], None]) -> None:
        super().__init__("org.mpris.MediaPlayer2")
        self._press = press

    @dbus_method()
    def Raise(self) -> None:
        """Nothing to raise: a terminal program (CanRaise is false)."""

    @dbus_method()
    def Quit(self) -> None:
        self._press(MEDIA_STOP)

    @dbus_property(access=PropertyAccess.READ)
    def CanQuit(self) -> DBusBool:
        return True

    @dbus_property(access=PropertyAccess.READ)
    def CanRaise(self) -> DBusBool:
        return False

    @dbus_property(access=PropertyAccess.READ)
    def HasTrackList(self) -> DBusBool:
        return False

    @dbus_property(access=PropertyAccess.READ)
    def Identity(self) -> DBusStr:
        return IDENTITY

    @dbus_property(access=PropertyAccess.READ)
    def SupportedUriSchemes(self) -> DBusStrings:
        return []

    @dbus_property(access=PropertyAccess.READ)
    def SupportedMimeTypes(self) -> DBusStrings:
        return []
