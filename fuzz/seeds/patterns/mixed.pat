SNI  type=host_name \(0\), value=(?<host>[^\s,\]]+)
CERT_SUBJECT  (?i)"subject"\s*: "(?<value>.*)"
REQUEST_NOT_SENT  Request not sent to (?:uri=)?\s*\[?(?:[a-z]+://)?(?<host>[A-Za-z0-9._-]+)(?::(?<port>\d+))?
SOCKET_CLOSED  a|Socket is closed
PEER_NOT_AUTHENTICATED  \Qpeer not\E authenticated


      type=host_name (0), value=api.partner.test
Request not sent to uri=https://api.partner.test:443/x
