/* gzfloor - the floor for any zlib-based log reader: inflates a file (or
 * standard input) with zlib's gzread and counts its newlines, nothing
 * else.  bench/run.py times sslsift on gzip input against it.
 *
 *   gzfloor FILE.gz      prints the number of lines
 *
 * Concatenated members are read through, as gzread does. */
#include <stdio.h>
#include <string.h>
#include <zlib.h>

int main(int argc, char **argv)
{
	static char buf[256 * 1024];
	gzFile gz = argc > 1 ? gzopen(argv[1], "rb") : gzdopen(0, "rb");
	if (!gz) {
		fprintf(stderr, "gzfloor: cannot open %s\n", argc > 1 ? argv[1] : "-");
		return 2;
	}
	gzbuffer(gz, 256 * 1024);
	unsigned long long lines = 0;
	int k;
	while ((k = gzread(gz, buf, sizeof buf)) > 0)
		for (const char *p = buf, *e = buf + k;
		     (p = memchr(p, '\n', (size_t)(e - p))) != NULL; p++)
			lines++;
	int err;
	const char *msg = gzerror(gz, &err);
	if (k < 0 || (err != Z_OK && err != Z_BUF_ERROR)) {
		fprintf(stderr, "gzfloor: %s\n", msg);
		return 2;
	}
	gzclose(gz);
	printf("%llu\n", lines);
	return 0;
}
