"""cdk_front_door: a production-grade HTTP front door for Lambda, Fargate and AWS services.

Names are imported from their modules when first used: each aws-cdk-lib module is a large
generated Python module, and an app that routes only to Lambda functions should not pay, on every
``cdk synth``, for importing ECS, Step Functions, DynamoDB and CloudFront (about 0.3 s).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from . import _node

__version__ = "0.1.0"

# Before anything imports aws_cdk, whose first import starts jsii's Node.js: with the node extra
# installed, jsii runs its Node.js; otherwise a missing or unsupported Node.js is reported, with
# what to do, on the line that imports this package.
_node.use_supported_node(stacklevel=3)

if TYPE_CHECKING:
    from ._node import NodeVersionWarning as NodeVersionWarning
    from .access_logs import AccessLogs as AccessLogs
    from .access_logs import LogFormat as LogFormat
    from .alarms import Alarms as Alarms
    from .auth import PUBLIC as PUBLIC
    from .auth import CognitoAuth as CognitoAuth
    from .auth import IamAuth as IamAuth
    from .auth import JwtAuth as JwtAuth
    from .auth import LambdaAuth as LambdaAuth
    from .auth import Public as Public
    from .auth import RouteAuth as RouteAuth
    from .cdn import CacheRule as CacheRule
    from .cdn import Cdn as Cdn
    from .cdn import Waf as Waf
    from .containers import Container as Container
    from .containers import ContainerService as ContainerService
    from .cors import Cors as Cors
    from .domains import CustomDomain as CustomDomain
    from .errors import FrontDoorValidationError as FrontDoorValidationError
    from .gateway import HttpApiGateway as HttpApiGateway
    from .identity import IdentityHeaders as IdentityHeaders
    from .jobs import BatchJob as BatchJob
    from .origin_protection import OriginProtection as OriginProtection
    from .routes import GatewayRoute as GatewayRoute
    from .routes import RouteKey as RouteKey
    from .service_targets import PutEvent as PutEvent
    from .service_targets import SendMessage as SendMessage
    from .service_targets import StartExecution as StartExecution
    from .service_targets import StopExecution as StopExecution
    from .targets import BindContext as BindContext
    from .targets import FrontDoor as FrontDoor
    from .targets import HttpUrl as HttpUrl
    from .targets import LambdaFunction as LambdaFunction
    from .targets import RouteTarget as RouteTarget
    from .targets import RouteTargetLike as RouteTargetLike
    from .targets import SupportsRouteTarget as SupportsRouteTarget
    from .throttle import DEFAULT_THROTTLE as DEFAULT_THROTTLE
    from .throttle import Throttle as Throttle

# The public names, each with the module that defines it: the one table ``__all__``, imports and
# ``dir()`` are derived from. The imports above are for type checkers only (a test keeps them in
# step with this table).
_MODULES = {
    "NodeVersionWarning": "_node",
    "AccessLogs": "access_logs",
    "LogFormat": "access_logs",
    "Alarms": "alarms",
    "PUBLIC": "auth",
    "CognitoAuth": "auth",
    "IamAuth": "auth",
    "JwtAuth": "auth",
    "LambdaAuth": "auth",
    "Public": "auth",
    "RouteAuth": "auth",
    "CacheRule": "cdn",
    "Cdn": "cdn",
    "Waf": "cdn",
    "Container": "containers",
    "ContainerService": "containers",
    "Cors": "cors",
    "CustomDomain": "domains",
    "FrontDoorValidationError": "errors",
    "HttpApiGateway": "gateway",
    "IdentityHeaders": "identity",
    "OriginProtection": "origin_protection",
    "BatchJob": "jobs",
    "GatewayRoute": "routes",
    "RouteKey": "routes",
    "PutEvent": "service_targets",
    "SendMessage": "service_targets",
    "StartExecution": "service_targets",
    "StopExecution": "service_targets",
    "BindContext": "targets",
    "FrontDoor": "targets",
    "HttpUrl": "targets",
    "LambdaFunction": "targets",
    "RouteTarget": "targets",
    "RouteTargetLike": "targets",
    "SupportsRouteTarget": "targets",
    "DEFAULT_THROTTLE": "throttle",
    "Throttle": "throttle",
}

__all__ = list(_MODULES)  # noqa: PLE0605 - derived from the table above


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_MODULES})
