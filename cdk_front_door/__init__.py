"""cdk_front_door: a production-grade HTTP front door for Lambda, Fargate and AWS services.

Names are imported from their modules when first used: each aws-cdk-lib module is a large
generated Python module, and an app that routes only to Lambda functions should not pay, on every
``cdk synth``, for importing ECS, Step Functions, DynamoDB and CloudFront (about 0.3 s).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .access_logs import AccessLogs, LogFormat
    from .auth import PUBLIC, CognitoAuth, IamAuth, JwtAuth, LambdaAuth, Public, RouteAuth
    from .cdn import CacheRule, Cdn, Waf
    from .containers import Container, ContainerService
    from .cors import Cors
    from .domains import CustomDomain
    from .errors import FrontDoorValidationError
    from .gateway import GatewayRoute, HttpApiGateway
    from .jobs import BatchJob
    from .routes import RouteKey
    from .service_targets import PutEvent, SendMessage, StartExecution, StopExecution
    from .targets import (
        BindContext,
        HttpUrl,
        LambdaFunction,
        RouteTarget,
        RouteTargetLike,
        SupportsRouteTarget,
    )
    from .throttle import DEFAULT_THROTTLE, Throttle

# Each public name, and the module that defines it.
_MODULES = {
    "AccessLogs": "access_logs",
    "LogFormat": "access_logs",
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
    "GatewayRoute": "gateway",
    "HttpApiGateway": "gateway",
    "BatchJob": "jobs",
    "RouteKey": "routes",
    "PutEvent": "service_targets",
    "SendMessage": "service_targets",
    "StartExecution": "service_targets",
    "StopExecution": "service_targets",
    "BindContext": "targets",
    "HttpUrl": "targets",
    "LambdaFunction": "targets",
    "RouteTarget": "targets",
    "RouteTargetLike": "targets",
    "SupportsRouteTarget": "targets",
    "DEFAULT_THROTTLE": "throttle",
    "Throttle": "throttle",
}

__all__ = [
    "DEFAULT_THROTTLE",
    "PUBLIC",
    "AccessLogs",
    "BatchJob",
    "BindContext",
    "CacheRule",
    "CognitoAuth",
    "Cdn",
    "Container",
    "ContainerService",
    "Cors",
    "CustomDomain",
    "FrontDoorValidationError",
    "GatewayRoute",
    "HttpApiGateway",
    "HttpUrl",
    "IamAuth",
    "JwtAuth",
    "LambdaAuth",
    "LambdaFunction",
    "LogFormat",
    "Public",
    "PutEvent",
    "RouteAuth",
    "RouteKey",
    "RouteTarget",
    "RouteTargetLike",
    "SendMessage",
    "StartExecution",
    "StopExecution",
    "SupportsRouteTarget",
    "Throttle",
    "Waf",
]


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_MODULES})
