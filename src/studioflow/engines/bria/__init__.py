"""The ``bria`` engine: Bria's hosted FIBO generation API (``POST /v2/image/generate``).

    manifest --payload.build_body--> JSON body --client.BriaClient.submit--> request id
             --client.BriaClient.wait (poll /v2/status/{id})--> result --download--> pixels

``config`` reads ``BRIA_*`` settings; ``payload`` builds Bria's body (the structured prompt
serialised by ``engines.fibo.prompt``, aspect ratio, resolution, seed); ``retry`` holds the
back-off and ``Retry-After`` rules; ``client`` speaks HTTP and never submits an accepted
request twice; ``engine_bria`` is the engine protocol on top. See docs/engine-bria.md.
"""
