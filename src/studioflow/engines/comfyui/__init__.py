"""The ``comfyui`` engine: render a manifest through a team's ComfyUI server.

    engine_comfyui.py  settings, capabilities, status, render (the engine itself)
    workflow.py        templates with {{placeholders}}, checks against /object_info
    client.py          HTTP routes and the websocket of one server
    follow.py          following one prompt: events, progress, errors, history
    templates/         shipped API-format workflows (FIBO 2.0 native, Bria's API nodes)
"""
