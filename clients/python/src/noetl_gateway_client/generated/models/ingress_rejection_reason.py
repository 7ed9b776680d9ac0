from enum import StrEnum


class IngressRejectionReason(StrEnum):
    BAD_SIGNATURE = "bad_signature"
    BAD_TOKEN = "bad_token"
    CONFIG_ERROR = "config_error"
    DISPATCH_ERROR = "dispatch_error"
    JWKS_ERROR = "jwks_error"
    MISCONFIGURED = "misconfigured"
    MISSING_SIGNATURE = "missing_signature"
    MISSING_TOKEN = "missing_token"
    OIDC_BAD_KEY = "oidc_bad_key"
    OIDC_BAD_SIGNATURE = "oidc_bad_signature"
    OIDC_EXPIRED = "oidc_expired"
    OIDC_INVALID = "oidc_invalid"
    OIDC_MALFORMED = "oidc_malformed"
    OIDC_UNKNOWN_KID = "oidc_unknown_kid"
    OIDC_UNVERIFIED_EMAIL = "oidc_unverified_email"
    OIDC_WRONG_AUDIENCE = "oidc_wrong_audience"
    OIDC_WRONG_ISSUER = "oidc_wrong_issuer"
    OIDC_WRONG_SA = "oidc_wrong_sa"
    UNKNOWN_LISTENER = "unknown_listener"
    UNSUPPORTED = "unsupported"

    def __str__(self) -> str:
        return str(self.value)
