"""voicecoach as an MPRIS media player on the D-Bus session bus, while a workout plays:
headphone buttons and media keys steer it, desktop widgets and `playerctl` show it.

One file per D-Bus interface (root.py, player.py) and server.py, which publishes them. The
player knows nothing of D-Bus: a button is a key on the player's key queue (controls.MEDIA_KEYS),
and the server listens to the player as the screen does (a Display). These modules do not use
`from __future__ import annotations`: dbus-fast reads D-Bus signatures from the annotations.
"""
