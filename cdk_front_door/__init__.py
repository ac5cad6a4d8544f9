"""cdk_front_door: a production-grade HTTP front door for Lambda, Fargate and AWS services."""

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
