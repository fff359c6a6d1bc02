#!/bin/sh
# Runs a test program under valgrind memcheck (configure --enable-valgrind);
# shell drivers run as they are, the sslsift they call is not wrapped.
case "$1" in
*.sh) exec "$@" ;;
esac
exec valgrind --quiet --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect "$@"
