"""Resource metadata the constructs write into templates and the local front door reads.

Plain strings, no aws-cdk-lib import: the local front door reads templates without it.
"""

ORIGIN_CHECK = "cdk-front-door:origin-check"
"""On the function of a gateway's origin-check authorizer (see
:mod:`cdk_front_door.origin_protection`), the header it checks. The local front door stands
for the API as the CDN reaches it, so routes authorized by that function are let through."""
