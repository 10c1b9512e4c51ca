/*
 * console/evaluation.c: GET /console/api/evaluation/{round}: a 民主评议
 * round's results for the printable page (static/evaluation.html), as
 * `minyi evaluation scores` computes them, read without writing.  The
 * results are public once counted, so every account may read them.
 */
#include "console.h"

#include <stdlib.h>
#include <string.h>

enum MHD_Result
console_api_evaluation(struct req *r, struct gateway *gw, const char *round)
{
	struct store	*st;
	json_t		*o;
	enum MHD_Result	 ret;

	if (*round == '\0' || strlen(round) > 200)
		return http_req_error(r, 400, "expected a round's id or name");
	st = reader_pool_get(&gw->readers);
	o = gateway_eval_results(st, gw->cfg, round);
	store_stmt_reset_all(st);
	reader_pool_put(&gw->readers, st);
	if (o == NULL)
		return http_req_error(r, 404, "no such evaluation round");
	ret = console_json(r, 200, o, NULL);
	json_decref(o);
	return ret;
}
