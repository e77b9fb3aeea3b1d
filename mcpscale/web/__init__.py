"""The live workshop in the browser: the web app over interview/room.py, and its server."""
