"""Realtime conversations over Socket.IO: connection auth, rooms, events, broadcasts.

The database is the truth; this package is a fast path. Services commit, then
call broadcast.*; clients that miss something heal by asking for every
conversation change after the last event number they hold (docs/realtime.md).
"""
