# app.pat - what the application (ServiceNow instance or MID server, Tomcat,
# any Java integration) writes when a TLS handshake under it fails.  These
# lines become symptoms, tied later to the handshake that caused them.
#
# Format: NAME  REGEX   (NAME is an event of sslsift(1); see PATTERN FILES)
SSL_HANDSHAKE_EXCEPTION   SSLHandshakeException(?::\s*(?<detail>.*))?
PKIX_PATH_BUILDING_FAILED PKIX path building failed
PKIX_PATH_BUILDING_FAILED unable to find valid certification path to requested target
# The trust store was empty, missing or unreadable (a wrong
# javax.net.ssl.trustStore, a JRE without cacerts): no path can be built;
# the JDK throws it as "SSLException: java.lang.RuntimeException:
# Unexpected error: java.security.InvalidAlgorithmParameterException: ..."
PKIX_PATH_BUILDING_FAILED the trustAnchors parameter must be non-empty
# The same failure from the "Simple" validator (TrustManagerFactory
# SunX509, older application servers): no trusted certificate in the chain
PKIX_PATH_BUILDING_FAILED ValidatorException: No trusted certificate found
PKIX_VALIDATION_FAILED    PKIX path validation failed(?::\s*(?<detail>.*))?
SOCKET_CLOSED             Socket is closed
PEER_NOT_AUTHENTICATED    peer not authenticated
PEER_NOT_AUTHENTICATED    SSLPeerUnverifiedException
# "Request not sent to uri=https://host:port/path : java.net.SocketException: ..."
# and the looser "Request not sent to uri= host.example.com: ..."
REQUEST_NOT_SENT          Request not sent to (?:uri=)?\s*\[?(?:[a-z]+://)?(?<host>[A-Za-z0-9._-]+)(?::(?<port>\d+))?
# Other clients name the endpoint in their own words, on the line that
# carries the exception:
# Spring RestTemplate: I/O error on POST request for "https://host:8443/path": ...
REQUEST_NOT_SENT          \brequest for "[a-z]+://(?<host>[A-Za-z0-9._-]+)(?::(?<port>\d+))?
# Apache CXF: SSLHandshakeException invoking https://host/path: ...
REQUEST_NOT_SENT          Exception invoking [a-z]+://(?<host>[A-Za-z0-9._-]+)(?::(?<port>\d+))?
# Apache HttpClient 4: ... caught when processing request to {s}->https://host:443: ...
REQUEST_NOT_SENT          \{s\}->[a-z]+://(?<host>[A-Za-z0-9._-]+)(?::(?<port>\d+))?
