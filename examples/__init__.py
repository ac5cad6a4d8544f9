"""Runnable example apps; each module named here has a ``build(app) -> Stack`` function."""

APPS = [
    "app",
    "examples.minimal.app",
    "examples.lambda_api.app",
    "examples.http_proxy.app",
    "examples.custom_domain.app",
    "examples.shared_domain.app",
    "examples.cdn.app",
    "examples.container_service.app",
    "examples.jwt_auth.app",
    "examples.batch_job.app",
    "examples.observability.app",
]
"""The flagship app and every example, as importable module names."""
