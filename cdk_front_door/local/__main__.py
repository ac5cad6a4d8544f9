"""``python -m cdk_front_door.local``: serve every HTTP API of a cloud assembly until Ctrl-C."""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import shlex
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .assembly import (
    AssemblyError,
    JwtAuthorizer,
    LocalApi,
    describe,
    load_apis,
    private_services,
)
from .aws_calls import AwsCalls
from .jwt_auth import DevIssuer, KeyRing
from .server import Clock, FrontDoorApp, Serving


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        apis = load_apis(Path(args.app))
    except AssemblyError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not apis:
        print(f"error: {args.app} has no HTTP API", file=sys.stderr)
        return 2
    services = _services(args.service, private_services(apis))
    front = None if services is None else _front(args, services)
    if front is None:
        return 2
    reload = (
        _Reload(Watcher([Path(p) for p in args.watch]), shlex.split(args.synth), Path(args.app))
        if args.watch
        else None
    )
    return _serve(front, apis, reload)


def _parser() -> argparse.ArgumentParser:
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
    parser.add_argument(
        "--watch",
        action="append",
        default=[],
        metavar="PATH",
        help="synthesize again (--synth) and reload when a file below PATH changes",
    )
    parser.add_argument("--synth", help="the command that synthesizes the app into --app")
    parser.add_argument(
        "--aws",
        action="store_true",
        help="call AWS for real for service integrations (SQS, Step Functions, EventBridge...),"
        " with boto3 and the credentials of the environment",
    )
    parser.add_argument(
        "--resource",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="with --aws: the real value of the stand-in local:NAME (shown at start), such as a"
        " deployed queue's URL",
    )
    return parser


def _front(args: argparse.Namespace, services: dict[str, str]) -> _Front | None:
    """The servers the options ask for; None (and a message) when an option is wrong."""
    keys = dict(item.partition(":")[::2] for item in args.iam_key)
    resources = dict(item.partition("=")[::2] for item in args.resource)
    problem = None
    if any(not key or not secret for key, secret in keys.items()):
        problem = "--iam-key expects ACCESS_KEY_ID:SECRET"
    elif args.resource and not args.aws:
        problem = "--resource is only used with --aws"
    elif any(not name or not value for name, value in resources.items()):
        problem = "--resource expects NAME=VALUE"
    elif args.watch and not args.synth:
        problem = "--watch needs --synth, the command that synthesizes the app"
    if problem is not None:
        print(f"error: {problem}", file=sys.stderr)
        return None
    return _Front(
        port=args.port,
        dev_tokens=args.dev_tokens,
        services=services,
        iam_keys=keys,
        aws_calls=AwsCalls(resources) if args.aws else None,
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


class _Front:
    """The servers of a cloud assembly's APIs, restartable on the same ports."""

    def __init__(
        self,
        *,
        port: int,
        dev_tokens: bool,
        services: dict[str, str],
        iam_keys: dict[str, str],
        aws_calls: AwsCalls | None = None,
    ) -> None:
        self._aws_calls = aws_calls
        self._port = port
        self._dev_tokens = dev_tokens
        self._services = services
        self._iam_keys = iam_keys
        self._clock = Clock()
        self._servings: list[Serving] = []

    def start(self, apis: Sequence[LocalApi]) -> bool:
        """Serve ``apis``; False (and a message) when a port is taken."""
        authorizers = [route.authorizer for api in apis for route in api.routes]
        issuers = sorted({a.issuer for a in authorizers if isinstance(a, JwtAuthorizer)})
        dev = DevIssuer(issuers, clock=self._clock) if self._dev_tokens else None
        keys = KeyRing(dev)
        for index, api in enumerate(apis):
            app = FrontDoorApp(
                api,
                keys=keys,
                clock=self._clock,
                access_log=sys.stdout,
                services=self._services,
                iam_credentials=self._iam_keys,
                aws_calls=self._aws_calls,
            )
            try:
                self._servings.append(Serving(app, self._port + index))
            except OSError as error:
                if error.errno != errno.EADDRINUSE:
                    raise
                print(f"error: port {self._port + index} is in use: pass --port", file=sys.stderr)
                self.stop()
                return False
        for api, serving in zip(apis, self._servings, strict=True):
            print(f"{api.stack}/{api.name}: {serving.url}")
        print("\n".join(describe(apis, aws_calls=self._aws_calls is not None)))
        for issuer in issuers if dev is not None else []:
            print(f"development token of {issuer}:\n  {dev.token(issuer)}")  # type: ignore[union-attr]
        return True

    def stop(self) -> None:
        for serving in self._servings:
            serving.close()
        self._servings = []


class Watcher:
    """Tells whether a file below ``paths`` changed since the last look (polling: no
    dependency, and the same on every system). Build outputs and caches are not watched."""

    SKIPPED = frozenset(
        {".git", ".venv", "node_modules", "cdk.out", "__pycache__", ".mypy_cache", ".ruff_cache"}
    )

    def __init__(self, paths: Sequence[Path]) -> None:
        self._paths = list(paths)
        self._seen = self._scan()

    def _scan(self) -> dict[str, int]:
        seen: dict[str, int] = {}
        for path in self._paths:
            if path.is_file():
                seen[str(path)] = path.stat().st_mtime_ns
                continue
            for folder, names, files in os.walk(path):
                names[:] = [name for name in names if name not in self.SKIPPED]
                for name in files:
                    file = os.path.join(folder, name)  # noqa: PTH118 - os.walk gives strings
                    with contextlib.suppress(OSError):
                        seen[file] = os.stat(file).st_mtime_ns  # noqa: PTH116
        return seen

    def changed(self) -> bool:
        now = self._scan()
        changed, self._seen = now != self._seen, now
        return changed


def _serve(front: _Front, apis: Sequence[LocalApi], reload: _Reload | None) -> int:
    """Serve ``apis`` until Ctrl-C; with ``reload``, synthesize and serve again on changes."""
    if not front.start(apis):
        return 2
    print("serving until Ctrl-C" + ("; reloading on changes" if reload else ""))
    try:
        while True:
            time.sleep(1)
            if reload is None or not reload.watcher.changed():
                continue
            print("change detected: synthesizing", flush=True)
            fresh = reload.synthesize()
            if fresh is None:
                continue
            front.stop()
            if not front.start(fresh):
                return 2
    except KeyboardInterrupt:
        pass
    finally:
        front.stop()
    return 0


@dataclass
class _Reload:
    watcher: Watcher
    command: list[str]
    assembly: Path

    def synthesize(self) -> list[LocalApi] | None:
        """The APIs after running the synth command; None (and a message) when it fails, so
        that what is served stays."""
        done = subprocess.run(self.command, check=False)  # noqa: S603 - the user's command
        if done.returncode != 0:
            print(f"error: {' '.join(self.command)} failed; still serving", file=sys.stderr)
            return None
        try:
            return load_apis(self.assembly)
        except AssemblyError as error:
            print(f"error: {error}; still serving", file=sys.stderr)
            return None


if __name__ == "__main__":
    sys.exit(main())
