/*
 * dialogs/render.c: message templates filled in.  A template (config/
 * templates.c, or the config's override) is text with {name} placeholders;
 * a placeholder is "{" then letters, digits or "_" then "}", the same rule
 * config_template_check() applies.  Any other brace, and a placeholder
 * with no value given, is left as written.  Pure: no I/O.
 */
#include "dialogs.h"

#include <string.h>

/* Length of the placeholder name at s (just past a "{"), 0 when s holds
 * none. */
static size_t
render_var_len(const char *s)
{
	size_t	 n;

	n = strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
	return n > 0 && s[n] == '}' ? n : 0;
}

/* The value vars gives for name (len bytes), borrowed, or NULL. */
static const char *
render_lookup(const char *const *vars, const char *name, size_t len)
{
	size_t	 i;

	for (i = 0; vars != NULL && vars[i] != NULL && vars[i + 1] != NULL; i += 2)
		if (strlen(vars[i]) == len && memcmp(vars[i], name, len) == 0)
			return vars[i + 1];
	return NULL;
}

char *
dialog_render(const struct config *cfg, const char *lang, const char *key,
    const char *const *vars)
{
	struct buf	 b;
	const char	*t, *p, *val;
	size_t		 n;

	t = config_template(cfg, lang, key);
	buf_init(&b, 0);
	while ((p = strchr(t, '{')) != NULL) {
		buf_add(&b, t, (size_t)(p - t));
		n = render_var_len(p + 1);
		if (n > 0 && (val = render_lookup(vars, p + 1, n)) != NULL) {
			buf_addstr(&b, val);
			t = p + 1 + n + 1;
		} else {
			buf_add(&b, p, 1);	/* a literal brace */
			t = p + 1;
		}
	}
	buf_addstr(&b, t);
	return buf_steal(&b);
}
