"""Custom domains: certificates, DNS records and API mappings, in every combination.

* ``api.example.com/v1`` in one zone, with its own DNS-validated certificate;
* ``www.example.org`` at the root, in a second zone;
* ``shop.example.com`` and ``admin.example.com`` sharing one wildcard certificate;
* ``api.partner.net``, whose DNS is hosted elsewhere: an existing certificate, and the CNAME
  target as a stack output.

The execute-api endpoint is off, so every request goes through a custom domain (and its access
logs and throttling). The zones are imported with ``HostedZone.from_hosted_zone_attributes``,
so ``cdk synth`` needs no AWS credentials; give your own in cdk.json or on the command line::

    cdk synth --app ".venv/bin/python -m examples.custom_domain.app" \\
        -c zone_id=Z0123456789ABCDEFGHIJ -c zone_name=example.com
"""

from __future__ import annotations

from aws_cdk import App, Stack
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_route53 as route53
from constructs import Construct

from cdk_front_door import PUBLIC, CustomDomain, HttpApiGateway
from examples.shared import demo_function, synth


class CustomDomainStack(Stack):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        context = self.node.try_get_context
        zone = route53.HostedZone.from_hosted_zone_attributes(
            self,
            "Zone",
            hosted_zone_id=context("zone_id") or "Z0123456789ABCDEFGHIJ",
            zone_name=context("zone_name") or "example.com",
        )
        other_zone = route53.HostedZone.from_hosted_zone_attributes(
            self,
            "OtherZone",
            hosted_zone_id=context("other_zone_id") or "Z0987654321ABCDEFGHIJ",
            zone_name=context("other_zone_name") or "example.org",
        )
        wildcard = acm.Certificate(
            self,
            "WildcardCertificate",
            domain_name=f"*.{zone.zone_name}",
            validation=acm.CertificateValidation.from_dns(zone),
        )
        partner_certificate = acm.Certificate.from_certificate_arn(
            self,
            "PartnerCertificate",
            context("partner_certificate_arn")
            or f"arn:aws:acm:{self.region}:{self.account}:certificate/partner-example",
        )

        api = HttpApiGateway(
            self,
            "Api",
            domains=[
                CustomDomain(f"api.{zone.zone_name}", hosted_zone=zone, base_path="v1"),
                CustomDomain(f"www.{other_zone.zone_name}", hosted_zone=other_zone),
                CustomDomain(f"shop.{zone.zone_name}", hosted_zone=zone, certificate=wildcard),
                CustomDomain(f"admin.{zone.zone_name}", hosted_zone=zone, certificate=wildcard),
                CustomDomain("api.partner.net", certificate=partner_certificate),
            ],
        )
        api.add_route("GET /hello", demo_function(self, "Hello", message="hello"), auth=PUBLIC)


def build(app: App) -> Stack:
    return CustomDomainStack(app, "FrontDoorCustomDomain")


if __name__ == "__main__":
    synth(build)
