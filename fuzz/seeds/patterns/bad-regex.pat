# a bad regex on line 3
SOCKET_CLOSED  Socket is closed
PEER_NOT_AUTHENTICATED  peer (not
