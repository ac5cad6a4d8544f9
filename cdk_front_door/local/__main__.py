"""``python -m cdk_front_door.local``: serve every HTTP API of a cloud assembly until Ctrl-C."""

from __future__ import annotations

import argparse
import errno
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from .assembly import (
    AssemblyError,
    JwtAuthorizer,
    LocalApi,
    describe,
    load_apis,
    private_services,
)
from .jwt_auth import DevIssuer, KeyRing
from .server import Clock, FrontDoorApp, Serving


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cdk_front_door.local",
        description="Serve the HTTP APIs of a synthesized CDK app on 127.0.0.1.",
    )
    parser.add_argument("--app", default="cdk.out", help="the cloud assembly folder (cdk.out)")
    parser.add_argument(
        "--port", type=int, default=3000, help="port of the first API; the next APIs use the next"
    )
    parser.add_argument(
        "--service",
        action="append",
        default=[],
        metavar="NAME=URL",
        help="the local URL of a private integration's service (its name is shown at start)",
    )
    parser.add_argument(
        "--iam-key",
        action="append",
        default=[],
        metavar="ACCESS_KEY_ID:SECRET",
        help="a key whose SigV4-signed requests IAM routes accept (repeat for more)",
    )
    parser.add_argument(
        "--dev-tokens",
        action="store_true",
        help="trust a local key for the JWT authorizers' issuers and print a token of each",
    )
    args = parser.parse_args(argv)
    try:
        apis = load_apis(Path(args.app))
    except AssemblyError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not apis:
        print(f"error: {args.app} has no HTTP API", file=sys.stderr)
        return 2
    services = _services(args.service, private_services(apis))
    if services is None:
        return 2
    keys = dict(item.partition(":")[::2] for item in args.iam_key)
    if any(not key or not secret for key, secret in keys.items()):
        print("error: --iam-key expects ACCESS_KEY_ID:SECRET", file=sys.stderr)
        return 2
    return _serve(
        apis, port=args.port, dev_tokens=args.dev_tokens, services=services, iam_keys=keys
    )


def _services(given: Sequence[str], known: Sequence[str]) -> dict[str, str] | None:
    """The ``--service NAME=URL`` options by name; None (and a message) when one is wrong."""
    services: dict[str, str] = {}
    for option in given:
        name, _, url = option.partition("=")
        if name not in known or not url.startswith(("http://", "https://")):
            print(
                f"error: --service {option}: expected NAME=http(s)://..., NAME one of "
                f"{', '.join(known) or '(no private integration in the app)'}",
                file=sys.stderr,
            )
            return None
        services[name] = url
    return services


def _serve(
    apis: Sequence[LocalApi],
    *,
    port: int,
    dev_tokens: bool,
    services: dict[str, str],
    iam_keys: dict[str, str],
) -> int:
    """Serve ``apis`` on ``port`` and the next ports until Ctrl-C."""
    clock = Clock()
    issuers = sorted(
        {
            a.issuer
            for api in apis
            for r in api.routes
            if isinstance(a := r.authorizer, JwtAuthorizer)
        }
    )
    dev = DevIssuer(issuers, clock=clock) if dev_tokens else None
    keys = KeyRing(dev)
    servings: list[Serving] = []
    try:
        for index, api in enumerate(apis):
            app = FrontDoorApp(
                api,
                keys=keys,
                clock=clock,
                access_log=sys.stdout,
                services=services,
                iam_credentials=iam_keys,
            )
            try:
                servings.append(Serving(app, port + index))
            except OSError as error:
                if error.errno != errno.EADDRINUSE:
                    raise
                print(f"error: port {port + index} is in use: pass --port", file=sys.stderr)
                return 2
        for api, serving in zip(apis, servings, strict=True):
            print(f"{api.stack}/{api.name}: {serving.url}")
        print("\n".join(describe(apis)))
        for issuer in issuers if dev is not None else []:
            print(f"development token of {issuer}:\n  {dev.token(issuer)}")  # type: ignore[union-attr]
        print("serving until Ctrl-C")
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        for serving in servings:
            serving.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
