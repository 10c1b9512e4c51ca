/*
 * utf8.c: the UTF-8 facts minyi needs without ICU: validity, SMS length in
 * UTF-16 units and segments, cutting at character boundaries, and whether a
 * text is Chinese.  Folding and normalisation live in dialogs/ over ICU.
 */
#include "lib.h"

#include <stdlib.h>
#include <string.h>

/* Decode one code point at *p; advances *p.  0 at the end, -1 on bad input. */
int
utf8_decode(const char **pp, uint32_t *cp)
{
	const unsigned char	*p = (const unsigned char *)*pp;
	uint32_t		 c;
	int			 n, i;

	if (*p == 0)
		return 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		*pp += 1;
		return 1;
	} else if ((p[0] & 0xe0) == 0xc0) {
		c = p[0] & 0x1f;
		n = 2;
	} else if ((p[0] & 0xf0) == 0xe0) {
		c = p[0] & 0x0f;
		n = 3;
	} else if ((p[0] & 0xf8) == 0xf0) {
		c = p[0] & 0x07;
		n = 4;
	} else
		return -1;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return -1;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) ||
	    (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return -1;
	*cp = c;
	*pp += n;
	return 1;
}

/* Length of the valid UTF-8 sequence at p (at most n bytes), or 0. */
static size_t
utf8_seqlen(const char *p, size_t n)
{
	char		 tmp[5] = { 0 };
	const char	*q = tmp;
	uint32_t	 cp;

	memcpy(tmp, p, n < 4 ? n : 4);
	if (tmp[0] == '\0' || utf8_decode(&q, &cp) != 1)
		return 0;
	return (size_t)(q - tmp);
}

bool
utf8_valid(const char *s, size_t len)
{
	size_t	 i = 0, n;

	while (i < len) {
		if ((n = utf8_seqlen(s + i, len - i)) == 0)
			return false;	/* bad byte, or a NUL inside the text */
		i += n;
	}
	return true;
}

char *
utf8_sanitize(const char *s, size_t len)
{
	struct buf	 b;
	size_t		 i = 0;

	buf_init(&b, 0);
	buf_add(&b, "", 0);
	while (i < len) {
		size_t	 n = utf8_seqlen(s + i, len - i);

		if (n > 0) {
			buf_add(&b, s + i, n);
			i += n;
		} else {
			buf_add(&b, "\xef\xbf\xbd", 3);
			i++;
		}
	}
	return buf_steal(&b);
}

size_t
utf8_units16(const char *s)
{
	const char	*p = s;
	uint32_t	 cp;
	size_t		 n = 0;
	int		 r;

	while ((r = utf8_decode(&p, &cp)) != 0) {
		if (r < 0) {
			p++;
			n++;
			continue;
		}
		n += cp >= 0x10000 ? 2 : 1;
	}
	return n;
}

bool
utf8_is_gsm_safe(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

/*
 * Parts an SMS needs: GSM-7 160 single / 153 per part (ASCII only, no
 * extension-table accounting), UCS-2 70 single / 67 per part.
 */
size_t
utf8_sms_segments(const char *s)
{
	size_t	 n;

	if (utf8_is_gsm_safe(s)) {
		n = strlen(s);
		return n <= 160 ? 1 : (n + 152) / 153;
	}
	n = utf8_units16(s);
	return n <= 70 ? 1 : (n + 66) / 67;
}

size_t
utf8_prefix_units16(const char *s, size_t units)
{
	const char	*p = s, *last = s;
	uint32_t	 cp;
	size_t		 n = 0;

	while (utf8_decode(&p, &cp) == 1) {
		n += cp >= 0x10000 ? 2 : 1;
		if (n > units)
			break;
		last = p;
	}
	return (size_t)(last - s);
}

bool
utf8_has_cjk(const char *s)
{
	const char	*p = s;
	uint32_t	 cp;
	int		 r;

	while ((r = utf8_decode(&p, &cp)) != 0) {
		if (r < 0) {
			p++;
			continue;
		}
		if ((cp >= 0x3400 && cp <= 0x9fff) ||
		    (cp >= 0xf900 && cp <= 0xfaff) ||
		    (cp >= 0x20000 && cp <= 0x2ffff) ||
		    (cp >= 0x3000 && cp <= 0x303f))
			return true;
	}
	return false;
}
