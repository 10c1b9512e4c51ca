/*
 * tests/unit/test_firstmsg.c: the first-message corpus (tests/data/firstmsg/)
 * run through the pure resident dialog under the configs of a hundred and
 * seventy-one counties, the example (config/minyi.example.json) and a
 * hundred and seventy more (tests/data/config/county2.json ...
 * county229.json; not all numbers).
 *
 * Each row is one resident's first message with the category and the grid
 * it means.  It is "right at once" when that message alone makes a case
 * with both right.  Otherwise the dialog asked one question, and the
 * resident gives the natural answer: the village's name when asked for the
 * place (in pinyin when they wrote English), the number the list shows
 * against the category's name when asked for the category, the category's
 * name when asked what the matter is.  It is "right after one answer" when
 * that answer makes the case with both right.  Rows that carry the
 * resident's own answers (the village, the problem in words) are also
 * run with those.
 *
 * The corpus's messages are also the classifier's built-in examples
 * (dialogs/classify.c, learn_examples): a county's own are left out when
 * its config is loaded, so each county is read by the others' messages.
 *
 * The shares are printed as a TAP comment ("# corpus: ..."), which
 * tests/run.py repeats next to its total line, and each county's share
 * must reach the floor below (set from the measurement in README.md).
 * FIRSTMSG_VERBOSE=1 prints every row that is not right at once.
 * FIRSTMSG_ONLY="CONFIG:ROWS ..." runs those counties instead, with no
 * floor: how a county written since, and not in the corpus, measures
 * (each pair a config file and its rows, separated by spaces).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <unicode/utrans.h>
#include <unicode/ustring.h>

#include "../../dialogs/dialogs.h"

#define RESIDENT	"+8613800138000"
#define T0		((int64_t)1795000000)
#define FIRST_CASE	101
#define ROWS_MAX	400

/* Each county's floors, in percent of its rows, are in counties[] below:
 * what it measured (README.md, "Understanding residents"). */

struct county {
	const char	*name;
	const char	*config;
	const char	*corpus;
	size_t		 min_rows;
	int		 floor_once, floor_after;	/* percent */
	struct config	*cfg;
	struct text_index *tix;
	size_t		 rows, at_once, after;
	size_t		 written, written_after;	/* rows with written answers */
	size_t		 fixed;		/* right after one reply: an answer, or
					 * a correction of a case filed wrong */
	size_t		 wrong;		/* a case filed wrong at once */
};

static struct county counties[] = {
	{ "example", "config/minyi.example.json", "tests/data/firstmsg/example.tsv",
	  140, 97, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county2", "tests/data/config/county2.json", "tests/data/firstmsg/county2.tsv",
	  140, 98, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	/*
	 * Written without reading the rows above nor the classifier's lists:
	 * 55/60 at once and 58/60 after one answer when first measured, 59/60
	 * and 60/60 after the fixes they showed (README.md).
	 */
	{ "county3", "tests/data/config/county3.json", "tests/data/firstmsg/county3.tsv",
	  60, 96, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	/* written after those fixes and measured once, the code left as it
	 * was: 27/30 at once, 28/30 after one answer */
	{ "county4", "tests/data/config/county4.json", "tests/data/firstmsg/county4.tsv",
	  30, 96, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	/* written after the fixes county4 showed and measured once, the
	 * code left as it was: 23/30 at once, 29/30 after one answer; 28/30
	 * and 30/30 after the fixes by kind (README.md) */
	{ "county5", "tests/data/config/county5.json", "tests/data/firstmsg/county5.tsv",
	  30, 93, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	/* written blind by someone else (Sichuan, Cantonese Guangdong) and
	 * measured once on the code as it was: 46/60 and 55/60, 46/60 and
	 * 60/60; then development data for the fixes by kind: 60/60 and
	 * 60/60, 59/60 and 60/60 (README.md) */
	{ "county6", "tests/data/config/county6.json", "tests/data/firstmsg/county6.tsv",
	  60, 96, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county7", "tests/data/config/county7.json", "tests/data/firstmsg/county7.tsv",
	  60, 96, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	/* written blind by someone else (Hunan, the north-east) and measured
	 * once on the code as it was: 53/60 and 57/60, 49/60 and 55/60; then
	 * development data for the fixes by kind: 60/60 and 60/60, 59/60
	 * and 60/60 (README.md) */
	{ "county8", "tests/data/config/county8.json", "tests/data/firstmsg/county8.tsv",
	  60, 96, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county9", "tests/data/config/county9.json", "tests/data/firstmsg/county9.tsv",
	  60, 93, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	/* written blind by someone else (northern Shaanxi, Guizhou) and
	 * measured once on the code as it was: 55/60 and 60/60, 53/60 and
	 * 58/60 (2 filed wrong at once); then development data for the
	 * fixes by kind: 60/60 and 60/60, 60/60 and 60/60 (README.md) */
	{ "county10", "tests/data/config/county10.json", "tests/data/firstmsg/county10.tsv",
	  60, 95, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county11", "tests/data/config/county11.json", "tests/data/firstmsg/county11.tsv",
	  60, 96, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	/* written blind by someone else (Zhejiang 吴语, an Inner Mongolia
	 * banner) and measured once on the code as it was: 51/60 and 60/60,
	 * 57/60 and 58/60 (1 filed wrong at once); then development data
	 * for the fixes by kind: 59/60 and 60/60, 60/60 and 60/60
	 * (README.md) */
	{ "county12", "tests/data/config/county12.json", "tests/data/firstmsg/county12.tsv",
	  60, 96, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county13", "tests/data/config/county13.json", "tests/data/firstmsg/county13.tsv",
	  60, 96, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	/* written blind (Shandong, Guangxi) and measured once on the code as
	 * it was: 50/60 and 54/60 (6 filed wrong at once), 53/60 and 60/60;
	 * then development data for the fixes by kind: 58/60 and 59/60 (1
	 * filed wrong at once), 60/60 and 60/60 (README.md) */
	{ "county14", "tests/data/config/county14.json", "tests/data/firstmsg/county14.tsv",
	  60, 96, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county15", "tests/data/config/county15.json", "tests/data/firstmsg/county15.tsv",
	  60, 100, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	/* written blind (Fujian 闽南, central Gansu) and measured before and
	 * after the round that had county14/15 as development data, its
	 * engineer told the two regions but never the rows: 50/60 and 55/60 (5
	 * filed wrong at once), 56/60 and 60/60; then 51/60 and 58/60 (2),
	 * 57/60 and 60/60 (README.md); then development data: 52/60 and
	 * 59/60 (1 filed wrong), 57/60 and 60/60; county16 53/60 at once
	 * since session 23's lexicon (an English street-light message naming
	 * the main road asked, 0.899 against the 0.9 a rival keyword needs) */
	{ "county16", "tests/data/config/county16.json", "tests/data/firstmsg/county16.tsv",
	  60, 91, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county17", "tests/data/config/county17.json", "tests/data/firstmsg/county17.tsv",
	  60, 98, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	/* written blind (southern Jiangxi 客家, Hainan), regions told to
	 * nobody, measured once on that code: 53/60 and 57/60 (3 filed wrong
	 * at once), 51/60 and 55/60 (5); then development data: 53/60 and
	 * 59/60 (1), 52/60 and 59/60 (1) */
	{ "county18", "tests/data/config/county18.json", "tests/data/firstmsg/county18.tsv",
	  60, 93, 96, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county19", "tests/data/config/county19.json", "tests/data/firstmsg/county19.tsv",
	  60, 88, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	/* written blind (Anhui on the Huai, Chongqing), regions told to
	 * nobody, measured before and after the round that had county16..19
	 * as development data: 48/60 and 54/60 (6 filed wrong at once), 51/60
	 * and 56/60 (4); then 47/60 and 54/60 (6), 51/60 and 57/60 (3) */
	{ "county20", "tests/data/config/county20.json", "tests/data/firstmsg/county20.tsv",
	  60, 85, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county21", "tests/data/config/county21.json", "tests/data/firstmsg/county21.tsv",
	  60, 91, 96, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	/* written blind (regions told to nobody) and measured once on the
	 * code of session 21's start: 53/60 and 58/60 (2 filed wrong at
	 * once), 48/60 and 56/60 (4); then validation, then development
	 * data: 54/60 and 59/60 (1), 51/60 and 58/60 (2) (README.md) */
	{ "county22", "tests/data/config/county22.json", "tests/data/firstmsg/county22.tsv",
	  60, 95, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county23", "tests/data/config/county23.json", "tests/data/firstmsg/county23.tsv",
	  60, 90, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	/* written blind (regions told to nobody) and measured on the code of
	 * session 21's start and as the session went on, never read: 55/60
	 * and 59/60, 54/60 and 57/60 at the start; 55/60 and 58/60, 54/60
	 * and 57/60 (59/60 and 60/60 after one reply, an answer or a
	 * correction) on the final code; joined as measured, no fix after */
	{ "county24", "tests/data/config/county24.json", "tests/data/firstmsg/county24.tsv",
	  60, 96, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county25", "tests/data/config/county25.json", "tests/data/firstmsg/county25.tsv",
	  60, 98, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	/* the same: 53/60 and 58/60, 53/60 and 58/60 at the start; 53/60
	 * and 59/60, 53/60 and 58/60 (60/60 and 60/60 after one reply) on
	 * the final code; joined as measured */
	{ "county26", "tests/data/config/county26.json", "tests/data/firstmsg/county26.tsv",
	  60, 91, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county27", "tests/data/config/county27.json", "tests/data/firstmsg/county27.tsv",
	  60, 95, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	/* written blind (regions told to nobody) at session 21's end, kept
	 * unread, measured on session 21's start and end code: 52/60 and
	 * 55/60, 46/60 and 54/60; then 53/60 and 56/60, 48/60 and 57/60; on
	 * session 22's code midway 53/60 and 56/60, 49/60 and 57/60 (after
	 * one reply 60/60, 60/60); then development data */
	{ "county28", "tests/data/config/county28.json", "tests/data/firstmsg/county28.tsv",
	  60, 93, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county29", "tests/data/config/county29.json", "tests/data/firstmsg/county29.tsv",
	  60, 85, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	/* written blind (regions told to nobody) at session 22's start and
	 * measured once on its code: 50/60 and 56/60, 54/60 and 55/60
	 * (after one reply 60/60, 60/60); then development data (the works
	 * a resident worked at, figures of speech) */
	{ "county30", "tests/data/config/county30.json", "tests/data/firstmsg/county30.tsv",
	  60, 93, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county31", "tests/data/config/county31.json", "tests/data/firstmsg/county31.tsv",
	  60, 91, 96, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	/* written blind (regions told to nobody) midway through session 22
	 * and measured once, on its start code and on its code then, alike:
	 * 54/60 and 58/60, 50/60 and 56/60; then development data */
	{ "county32", "tests/data/config/county32.json", "tests/data/firstmsg/county32.tsv",
	  60, 95, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county33", "tests/data/config/county33.json", "tests/data/firstmsg/county33.tsv",
	  60, 83, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	/* written blind (regions told to nobody) late in session 22 and
	 * measured on its start code, 54/60 and 58/60, 54/60 and 60/60, and
	 * on its final code, 55/60 and 59/60, 54/60 and 60/60 (after one
	 * reply 60/60, 60/60); joined as measured, no fix after */
	{ "county34", "tests/data/config/county34.json", "tests/data/firstmsg/county34.tsv",
	  60, 91, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county35", "tests/data/config/county35.json", "tests/data/firstmsg/county35.tsv",
	  60, 95, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	/* written blind (regions told to nobody) at session 23's start and
	 * measured once, 56/60 and 59/60, 54/60 and 59/60; then development
	 * data (the work frame over any trade, the elderly's, wild animals'
	 * and upstream water's words, fish farms apart from fishing) */
	{ "county36", "tests/data/config/county36.json", "tests/data/firstmsg/county36.tsv",
	  60, 96, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county37", "tests/data/config/county37.json", "tests/data/firstmsg/county37.tsv",
	  60, 90, 96, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	/* written blind (regions told to nobody) at session 23's start and
	 * never read until measured on its final code: 53/60 and 57/60, 49/60
	 * and 55/60 (start code: 53/57, 47/55); joined as measured, no fix
	 * after */
	{ "county38", "tests/data/config/county38.json", "tests/data/firstmsg/county38.tsv",
	  60, 96, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county39", "tests/data/config/county39.json", "tests/data/firstmsg/county39.tsv",
	  60, 95, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	/* written blind (regions told to nobody) midway through session 23
	 * and measured once on its code then and on its start code, alike:
	 * 53/60 and 57/60, 54/60 and 59/60; then development data (那家 and
	 * 月底 hold no homophone, a 做 after a workplace is work, what took
	 * the land, no tractor in roads).  Session 24's built-in words (179
	 * over 14 groups: +3 at once on fourteen fresh counties) tip one
	 * tea-price row (采的叶子 ... 一公斤才给十几块) from asked to wages
	 * at 0.91: 59/60 after one answer */
	{ "county40", "tests/data/config/county40.json", "tests/data/firstmsg/county40.tsv",
	  60, 95, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county41", "tests/data/config/county41.json", "tests/data/firstmsg/county41.tsv",
	  60, 91, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	/*
	 * Written blind in sessions 23 and 24 (each writer read only the
	 * config README, the example config and DESIGN.md; regions told to
	 * nobody), measured on the code they first met, then read and their
	 * failures fixed by kind in session 24; joined at their session-24
	 * end figures.  Start code (first met) at once / after one answer:
	 * county42/43 111/116 (session 23's start), county44/45 107/115,
	 * county46/47 103/117, county50/51 101/108, county54/55 110/119,
	 * county56/57 99/113, county58/59 110/114.
	 */
	{ "county42", "tests/data/config/county42.json", "tests/data/firstmsg/county42.tsv",
	  60, 96, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county43", "tests/data/config/county43.json", "tests/data/firstmsg/county43.tsv",
	  60, 98, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county44", "tests/data/config/county44.json", "tests/data/firstmsg/county44.tsv",
	  60, 93, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county45", "tests/data/config/county45.json", "tests/data/firstmsg/county45.tsv",
	  60, 96, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county46", "tests/data/config/county46.json", "tests/data/firstmsg/county46.tsv",
	  60, 98, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county47", "tests/data/config/county47.json", "tests/data/firstmsg/county47.tsv",
	  60, 95, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county50", "tests/data/config/county50.json", "tests/data/firstmsg/county50.tsv",
	  60, 95, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county51", "tests/data/config/county51.json", "tests/data/firstmsg/county51.tsv",
	  60, 91, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county54", "tests/data/config/county54.json", "tests/data/firstmsg/county54.tsv",
	  60, 95, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county55", "tests/data/config/county55.json", "tests/data/firstmsg/county55.tsv",
	  60, 93, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county56", "tests/data/config/county56.json", "tests/data/firstmsg/county56.tsv",
	  60, 86, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county57", "tests/data/config/county57.json", "tests/data/firstmsg/county57.tsv",
	  60, 91, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county58", "tests/data/config/county58.json", "tests/data/firstmsg/county58.tsv",
	  60, 96, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county59", "tests/data/config/county59.json", "tests/data/firstmsg/county59.tsv",
	  60, 96, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	/*
	 * Written blind in session 24 and never read: measured on its start
	 * code and its end code, then joined as measured, no fix after.
	 * Start / end, at once and after one answer: county48/49 110/115 ->
	 * 110/117, county52/53 109/118 -> 110/118, county60/61 102/110 ->
	 * 105/111.  (county62/63, alike, stay out for session 25's start:
	 * 103/113 -> 105/114.)
	 */
	{ "county48", "tests/data/config/county48.json", "tests/data/firstmsg/county48.tsv",
	  60, 90, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county49", "tests/data/config/county49.json", "tests/data/firstmsg/county49.tsv",
	  60, 98, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county52", "tests/data/config/county52.json", "tests/data/firstmsg/county52.tsv",
	  60, 93, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county53", "tests/data/config/county53.json", "tests/data/firstmsg/county53.tsv",
	  60, 93, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county60", "tests/data/config/county60.json", "tests/data/firstmsg/county60.tsv",
	  60, 95, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county61", "tests/data/config/county61.json", "tests/data/firstmsg/county61.tsv",
	  60, 85, 96, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	/*
	 * Written blind (sessions 24 and 25), measured unread on session 25's
	 * start code, then read and fixed on: floors at the end figures.
	 * Start code at once / after one answer: county62/63 105/113,
	 * county64/65 111/118, county68/69 104/110, county76/77 107/114,
	 * county80/81 108/115, county86/87 107/117, county94/95 111/115.
	 */
	{ "county62", "tests/data/config/county62.json", "tests/data/firstmsg/county62.tsv",
	  60, 91, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county63", "tests/data/config/county63.json", "tests/data/firstmsg/county63.tsv",
	  60, 93, 95, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county64", "tests/data/config/county64.json", "tests/data/firstmsg/county64.tsv",
	  60, 96, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county65", "tests/data/config/county65.json", "tests/data/firstmsg/county65.tsv",
	  60, 93, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county68", "tests/data/config/county68.json", "tests/data/firstmsg/county68.tsv",
	  60, 90, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	/* county69's oyster-seed row is filed wrong again since the words
	 * added for it (买苗, 成批死) were taken out: they cost counties
	 * never read (county82/83), and county77's English litter row
	 * tipped with them */
	{ "county69", "tests/data/config/county69.json", "tests/data/firstmsg/county69.tsv",
	  60, 88, 95, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county76", "tests/data/config/county76.json", "tests/data/firstmsg/county76.tsv",
	  60, 93, 96, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county77", "tests/data/config/county77.json", "tests/data/firstmsg/county77.tsv",
	  60, 88, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county80", "tests/data/config/county80.json", "tests/data/firstmsg/county80.tsv",
	  60, 95, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county81", "tests/data/config/county81.json", "tests/data/firstmsg/county81.tsv",
	  60, 93, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county86", "tests/data/config/county86.json", "tests/data/firstmsg/county86.tsv",
	  60, 100, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county87", "tests/data/config/county87.json", "tests/data/firstmsg/county87.tsv",
	  60, 83, 96, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county94", "tests/data/config/county94.json", "tests/data/firstmsg/county94.tsv",
	  60, 95, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county95", "tests/data/config/county95.json", "tests/data/firstmsg/county95.tsv",
	  60, 95, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	/*
	 * Written blind at session 25's end, measured on its start code and
	 * then read, with no fix that held after: joined at what they
	 * measure.  Start / end: county98/99 103/110 -> 104/111,
	 * county100/101 110/114 -> 111/114.
	 */
	{ "county98", "tests/data/config/county98.json", "tests/data/firstmsg/county98.tsv",
	  60, 95, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county99", "tests/data/config/county99.json", "tests/data/firstmsg/county99.tsv",
	  60, 85, 93, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county100", "tests/data/config/county100.json", "tests/data/firstmsg/county100.tsv",
	  60, 93, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county101", "tests/data/config/county101.json", "tests/data/firstmsg/county101.tsv",
	  60, 91, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	/*
	 * Written blind in session 25 and kept unread as its test: measured
	 * on its start and end code only (county78/79 106/115 -> 108/115,
	 * county82/83 111/115 -> 111/116, county84/85 105/116, county88/89
	 * 110/118, county90/91 107/114, county92/93 114/119 -> 113/118,
	 * county96/97 105/115 -> 104/115).  Joined in session 26, when their
	 * messages also became built-in examples.
	 */
	{ "county78", "tests/data/config/county78.json", "tests/data/firstmsg/county78.tsv",
	  60, 91, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county79", "tests/data/config/county79.json", "tests/data/firstmsg/county79.tsv",
	  60, 93, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county82", "tests/data/config/county82.json", "tests/data/firstmsg/county82.tsv",
	  60, 95, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county83", "tests/data/config/county83.json", "tests/data/firstmsg/county83.tsv",
	  60, 85, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county84", "tests/data/config/county84.json", "tests/data/firstmsg/county84.tsv",
	  60, 93, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county85", "tests/data/config/county85.json", "tests/data/firstmsg/county85.tsv",
	  60, 83, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county88", "tests/data/config/county88.json", "tests/data/firstmsg/county88.tsv",
	  60, 91, 96, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county89", "tests/data/config/county89.json", "tests/data/firstmsg/county89.tsv",
	  60, 90, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county90", "tests/data/config/county90.json", "tests/data/firstmsg/county90.tsv",
	  60, 93, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county91", "tests/data/config/county91.json", "tests/data/firstmsg/county91.tsv",
	  60, 86, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county92", "tests/data/config/county92.json", "tests/data/firstmsg/county92.tsv",
	  60, 93, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county93", "tests/data/config/county93.json", "tests/data/firstmsg/county93.tsv",
	  60, 95, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county96", "tests/data/config/county96.json", "tests/data/firstmsg/county96.tsv",
	  60, 83, 96, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county97", "tests/data/config/county97.json", "tests/data/firstmsg/county97.tsv",
	  60, 88, 96, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	/*
	 * Written blind in sessions 28 to 30 and kept out of the corpus, read
	 * as development data there and in session 31, then joined in
	 * session 31 so that their messages teach the classifier too
	 * (county146/147 were written as countyA/B): floors at what they
	 * measure, each read by the others' messages.
	 */
	{ "county124", "tests/data/config/county124.json", "tests/data/firstmsg/county124.tsv",
	  60, 96, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county125", "tests/data/config/county125.json", "tests/data/firstmsg/county125.tsv",
	  60, 95, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county126", "tests/data/config/county126.json", "tests/data/firstmsg/county126.tsv",
	  60, 98, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county127", "tests/data/config/county127.json", "tests/data/firstmsg/county127.tsv",
	  60, 95, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county128", "tests/data/config/county128.json", "tests/data/firstmsg/county128.tsv",
	  60, 96, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county129", "tests/data/config/county129.json", "tests/data/firstmsg/county129.tsv",
	  60, 95, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county130", "tests/data/config/county130.json", "tests/data/firstmsg/county130.tsv",
	  60, 90, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county131", "tests/data/config/county131.json", "tests/data/firstmsg/county131.tsv",
	  60, 95, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county132", "tests/data/config/county132.json", "tests/data/firstmsg/county132.tsv",
	  60, 96, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county133", "tests/data/config/county133.json", "tests/data/firstmsg/county133.tsv",
	  60, 90, 96, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county134", "tests/data/config/county134.json", "tests/data/firstmsg/county134.tsv",
	  60, 91, 95, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county135", "tests/data/config/county135.json", "tests/data/firstmsg/county135.tsv",
	  60, 90, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county140", "tests/data/config/county140.json", "tests/data/firstmsg/county140.tsv",
	  60, 93, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county141", "tests/data/config/county141.json", "tests/data/firstmsg/county141.tsv",
	  60, 93, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county142", "tests/data/config/county142.json", "tests/data/firstmsg/county142.tsv",
	  60, 95, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county143", "tests/data/config/county143.json", "tests/data/firstmsg/county143.tsv",
	  60, 93, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county144", "tests/data/config/county144.json", "tests/data/firstmsg/county144.tsv",
	  60, 88, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county145", "tests/data/config/county145.json", "tests/data/firstmsg/county145.tsv",
	  60, 91, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county146", "tests/data/config/county146.json", "tests/data/firstmsg/county146.tsv",
	  60, 96, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county147", "tests/data/config/county147.json", "tests/data/firstmsg/county147.tsv",
	  60, 96, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county156", "tests/data/config/county156.json", "tests/data/firstmsg/county156.tsv",
	  60, 96, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county157", "tests/data/config/county157.json", "tests/data/firstmsg/county157.tsv",
	  60, 96, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county158", "tests/data/config/county158.json", "tests/data/firstmsg/county158.tsv",
	  60, 96, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county159", "tests/data/config/county159.json", "tests/data/firstmsg/county159.tsv",
	  60, 95, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county160", "tests/data/config/county160.json", "tests/data/firstmsg/county160.tsv",
	  60, 91, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county161", "tests/data/config/county161.json", "tests/data/firstmsg/county161.tsv",
	  60, 95, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county162", "tests/data/config/county162.json", "tests/data/firstmsg/county162.tsv",
	  60, 91, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county163", "tests/data/config/county163.json", "tests/data/firstmsg/county163.tsv",
	  60, 95, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county164", "tests/data/config/county164.json", "tests/data/firstmsg/county164.tsv",
	  60, 95, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county165", "tests/data/config/county165.json", "tests/data/firstmsg/county165.tsv",
	  60, 95, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county166", "tests/data/config/county166.json", "tests/data/firstmsg/county166.tsv",
	  60, 90, 96, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county167", "tests/data/config/county167.json", "tests/data/firstmsg/county167.tsv",
	  60, 98, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county168", "tests/data/config/county168.json", "tests/data/firstmsg/county168.tsv",
	  60, 93, 96, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county169", "tests/data/config/county169.json", "tests/data/firstmsg/county169.tsv",
	  60, 90, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county170", "tests/data/config/county170.json", "tests/data/firstmsg/county170.tsv",
	  60, 96, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county171", "tests/data/config/county171.json", "tests/data/firstmsg/county171.tsv",
	  60, 83, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county172", "tests/data/config/county172.json", "tests/data/firstmsg/county172.tsv",
	  60, 98, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county173", "tests/data/config/county173.json", "tests/data/firstmsg/county173.tsv",
	  60, 90, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county182", "tests/data/config/county182.json", "tests/data/firstmsg/county182.tsv",
	  60, 90, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county183", "tests/data/config/county183.json", "tests/data/firstmsg/county183.tsv",
	  60, 96, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county184", "tests/data/config/county184.json", "tests/data/firstmsg/county184.tsv",
	  60, 93, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county185", "tests/data/config/county185.json", "tests/data/firstmsg/county185.tsv",
	  60, 95, 96, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county186", "tests/data/config/county186.json", "tests/data/firstmsg/county186.tsv",
	  60, 98, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county187", "tests/data/config/county187.json", "tests/data/firstmsg/county187.tsv",
	  60, 98, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county188", "tests/data/config/county188.json", "tests/data/firstmsg/county188.tsv",
	  60, 86, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county189", "tests/data/config/county189.json", "tests/data/firstmsg/county189.tsv",
	  60, 96, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county190", "tests/data/config/county190.json", "tests/data/firstmsg/county190.tsv",
	  60, 91, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county191", "tests/data/config/county191.json", "tests/data/firstmsg/county191.tsv",
	  60, 90, 96, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county192", "tests/data/config/county192.json", "tests/data/firstmsg/county192.tsv",
	  60, 96, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county193", "tests/data/config/county193.json", "tests/data/firstmsg/county193.tsv",
	  60, 85, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county194", "tests/data/config/county194.json", "tests/data/firstmsg/county194.tsv",
	  60, 95, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county195", "tests/data/config/county195.json", "tests/data/firstmsg/county195.tsv",
	  60, 98, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county196", "tests/data/config/county196.json", "tests/data/firstmsg/county196.tsv",
	  60, 95, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county197", "tests/data/config/county197.json", "tests/data/firstmsg/county197.tsv",
	  60, 91, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county198", "tests/data/config/county198.json", "tests/data/firstmsg/county198.tsv",
	  60, 98, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county199", "tests/data/config/county199.json", "tests/data/firstmsg/county199.tsv",
	  60, 90, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county202", "tests/data/config/county202.json", "tests/data/firstmsg/county202.tsv",
	  60, 98, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county203", "tests/data/config/county203.json", "tests/data/firstmsg/county203.tsv",
	  60, 90, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county206", "tests/data/config/county206.json", "tests/data/firstmsg/county206.tsv",
	  60, 96, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county207", "tests/data/config/county207.json", "tests/data/firstmsg/county207.tsv",
	  60, 90, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county210", "tests/data/config/county210.json", "tests/data/firstmsg/county210.tsv",
	  60, 98, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county211", "tests/data/config/county211.json", "tests/data/firstmsg/county211.tsv",
	  60, 88, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county214", "tests/data/config/county214.json", "tests/data/firstmsg/county214.tsv",
	  60, 93, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county215", "tests/data/config/county215.json", "tests/data/firstmsg/county215.tsv",
	  60, 91, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county216", "tests/data/config/county216.json", "tests/data/firstmsg/county216.tsv",
	  60, 96, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county217", "tests/data/config/county217.json", "tests/data/firstmsg/county217.tsv",
	  60, 91, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county218", "tests/data/config/county218.json", "tests/data/firstmsg/county218.tsv",
	  60, 90, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county219", "tests/data/config/county219.json", "tests/data/firstmsg/county219.tsv",
	  60, 83, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county220", "tests/data/config/county220.json", "tests/data/firstmsg/county220.tsv",
	  60, 95, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county221", "tests/data/config/county221.json", "tests/data/firstmsg/county221.tsv",
	  60, 93, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county222", "tests/data/config/county222.json", "tests/data/firstmsg/county222.tsv",
	  60, 86, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county223", "tests/data/config/county223.json", "tests/data/firstmsg/county223.tsv",
	  60, 90, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county224", "tests/data/config/county224.json", "tests/data/firstmsg/county224.tsv",
	  60, 90, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county225", "tests/data/config/county225.json", "tests/data/firstmsg/county225.tsv",
	  60, 96, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county226", "tests/data/config/county226.json", "tests/data/firstmsg/county226.tsv",
	  60, 96, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county227", "tests/data/config/county227.json", "tests/data/firstmsg/county227.tsv",
	  60, 95, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county228", "tests/data/config/county228.json", "tests/data/firstmsg/county228.tsv",
	  60, 100, 100, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
	{ "county229", "tests/data/config/county229.json", "tests/data/firstmsg/county229.tsv",
	  60, 93, 98, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 },
};

static bool	 verbose;
/* run: every other county (a sanitizer build, halves[]) */
#ifdef __SANITIZE_ADDRESS__
static struct county	 halves[(nitems(counties) + 1) / 2];
#endif
static bool		 halved;

/* The counties run: counties[], or those FIRSTMSG_ONLY names. */
static struct county	*run;
static size_t		 nrun;

/* The conversation between messages, kept as the shell keeps it. */
struct talk {
	struct county	*c;
	bool		 has_conv;
	enum dialog_state state;
	char		*data;
	long		 next;
	struct case_brief made;		/* the case the talk made, as the shell
					 * would load it */
	bool		 has_made;
};

static void
talk_step(struct talk *t, const char *text, int64_t now, struct dialog_result *res)
{
	struct dialog_input	 in;
	json_t			*data, *j;
	size_t			 i;

	memset(&in, 0, sizeof(in));
	conv_state_init(&in.conv);
	in.now = now;
	in.channel = "sms";
	in.address = RESIDENT;
	in.text = text;
	in.addressed = true;
	in.grid_hint = -1;
	in.next_case_number = t->next;
	if (t->has_made) {
		in.cases = &t->made;
		in.ncases = 1;
	}
	if (t->has_conv) {
		data = json_loads(t->data, 0, NULL);
		assert_non_null(data);
		assert_int_equal(conv_state_from_json(t->c->cfg, t->state, data, now,
		    &in.conv), 0);
		json_decref(data);
		in.has_conv = true;
	}
	assert_int_equal(dialog_step(t->c->cfg, t->c->tix, &in, res), 0);
	conv_state_clear(&in.conv);
	for (i = 0; i < res->neffects; i++)
		if (res->effects[i].kind == EFF_CASE_CREATE) {
			const struct new_case *nc = &res->effects[i].c;

			t->next = nc->number + 1;
			memset(&t->made, 0, sizeof(t->made));
			t->made.number = nc->number;
			t->made.status = "received";
			t->made.category = nc->category >= 0 ?
			    t->c->cfg->categories[nc->category].id : NULL;
			t->made.grid = nc->grid >= 0 ?
			    t->c->cfg->grids[nc->grid].id : NULL;
			t->made.deputy = nc->deputy;
			t->made.created_at = now;
			t->has_made = true;
		}
	free(t->data);
	t->data = NULL;
	t->has_conv = res->conv.state != DS_IDLE;
	if (t->has_conv) {
		j = conv_state_to_json(&res->conv);
		t->data = json_dumps(j, JSON_COMPACT);
		json_decref(j);
		t->state = res->conv.state;
	}
}

static const struct effect *
effect_of(const struct dialog_result *r, enum effect_kind kind)
{
	size_t	 i;

	for (i = 0; i < r->neffects; i++)
		if (r->effects[i].kind == kind)
			return &r->effects[i];
	return NULL;
}

/* 1 when res made the expected case, 0 when it made another, -1 none. */
static int
made_right(const struct dialog_result *res, int cat, int grid)
{
	const struct effect	*e = effect_of(res, EFF_CASE_CREATE);

	if (e == NULL)
		return -1;
	return e->c.category == cat && e->c.grid == grid && !e->c.triage;
}

/* The pinyin of s, ASCII, words capitalised: "Liuxindian". */
static char *
pinyin(const char *s)
{
	static const UChar	 id[] = u"Han-Latin; Latin-ASCII";
	UTransliterator		*tr;
	UParseError		 pe;
	UErrorCode		 err = U_ZERO_ERROR;
	UChar			 buf[256];
	char			 out[512];
	int32_t			 n, lim;
	size_t			 i, o = 0;
	bool			 start = true;

	tr = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, &pe, &err);
	assert_false(U_FAILURE(err));
	u_strFromUTF8(buf, 200, &n, s, -1, &err);
	lim = n;
	utrans_transUChars(tr, buf, &n, 256, 0, &lim, &err);
	assert_false(U_FAILURE(err));
	u_strToUTF8(out, sizeof(out), NULL, buf, n, &err);
	utrans_close(tr);
	for (i = 0; out[i] != '\0'; i++) {
		if (out[i] == ' ')
			continue;
		out[o++] = start && out[i] >= 'a' && out[i] <= 'z' ? out[i] - 32 : out[i];
		start = false;
	}
	out[o] = '\0';
	return xstrdup(out);
}

/* The grid's name without its 村 / 社区: what a resident calls it. */
static char *
grid_short(const struct grid *g)
{
	static const char *const suffixes[] = { "社区", "村" };
	size_t	 n = strlen(g->name), i, l;

	for (i = 0; i < nitems(suffixes); i++) {
		l = strlen(suffixes[i]);
		if (n > l && strcmp(g->name + n - l, suffixes[i]) == 0)
			return xstrndup(g->name, n - l);
	}
	return xstrdup(g->name);
}

/* The number shown against the category's name in a numbered list. */
static int
choice_of(const char *reply, const char *name)
{
	const char	*p = reply;
	char		*end;
	long		 n;
	size_t		 l;

	while (p != NULL && *p != '\0') {
		if (*p >= '0' && *p <= '9') {
			n = strtol(p, &end, 10);
			if (*end == ' ') {
				end++;
				for (l = 0; end[l] != '\0' && end[l] != '\n'; l++)
					;
				/* a name cut short ends in an ellipsis */
				if (l > 0 && (strncmp(end, name, l) == 0 ||
				    (l > 3 && strncmp(end + l - 3, "…", 3) == 0 &&
				    strncmp(end, name, l - 3) == 0)))
					return (int)n;
			}
		}
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return -1;
}

/* The natural answer to the question res asks; a new string. */
static char *
natural_answer(const struct county *c, const struct dialog_result *res,
    int cat, int grid, bool en)
{
	const struct effect	*r = effect_of(res, EFF_REPLY);
	const struct category	*k = &c->cfg->categories[cat];
	char			*s, *p;
	int			 n;

	switch (res->conv.state) {
	case DS_ASK_PLACE:
		s = grid_short(&c->cfg->grids[grid]);
		if (!en)
			return s;
		p = pinyin(s);
		free(s);
		return p;
	case DS_ASK_CATEGORY:
		n = r != NULL ? choice_of(r->text, en && k->name_en ? k->name_en :
		    k->name) : -1;
		if (n > 0)
			return xasprintf("%d", n);
		return xstrdup(en && k->name_en ? k->name_en : k->name);
	case DS_ASK_DESCRIPTION:
		return xstrdup(en && k->name_en ? k->name_en : k->keywords[0]);
	default:
		return NULL;
	}
}

static int
index_of_cat(const struct config *cfg, const char *id)
{
	const struct category	*k = config_category(cfg, id);

	if (k == NULL)
		fail_msg("unknown category %s", id);
	return (int)(k - cfg->categories);
}

static int
index_of_grid(const struct config *cfg, const char *id)
{
	const struct grid	*g = config_grid(cfg, id);

	if (g == NULL)
		fail_msg("unknown grid %s", id);
	return (int)(g - cfg->grids);
}

/*
 * The case t made at once has the wrong problem: the resident says so in
 * one reply, naming the right one (reply, or "不对，是" and the category's
 * name; in English "Wrong, it is" and its English name).  1 when the case
 * is then put right to cat (the place it was filed with is grid), 0 not.
 */
static int
corrected(struct talk *t, int cat, int grid, bool en, const char *reply)
{
	struct dialog_result	 res;
	const struct effect	*e;
	const struct category	*k = &t->c->cfg->categories[cat];
	char			*text;
	int			 r;

	if (!t->has_made || t->made.grid == NULL || grid < 0 ||
	    strcmp(t->made.grid, t->c->cfg->grids[grid].id) != 0)
		return 0;
	if (reply != NULL)
		text = xasprintf(en ? "Wrong, %s" : "不对，%s", reply);
	else if (en)
		text = xasprintf("Wrong, it is %s", k->name_en != NULL ?
		    k->name_en : k->name);
	else
		text = xasprintf("不对，是%s", k->name);
	memset(&res, 0, sizeof(res));
	talk_step(t, text, T0 + 120, &res);
	e = effect_of(&res, EFF_CASE_RECATEGORIZE);
	r = e != NULL && e->c.category == cat && e->number == t->made.number;
	if (verbose && !r)
		printf("# %s: not put right: %s -> %s\n", t->c->name, text,
		    effect_of(&res, EFF_REPLY) ? effect_of(&res, EFF_REPLY)->text :
		    "-");
	free(text);
	dialog_result_clear(&res);
	return r;
}

/*
 * The resident's own answer, written with the row: place_ans when asked for
 * the place, problem_ans (in words, not a list number) otherwise.  1 when it
 * makes the expected case.
 */
static int
written_answer(struct county *c, const char *text, int cat, int grid,
    const char *place_ans, const char *problem_ans)
{
	struct dialog_result	 res;
	struct talk		 t;
	const char		*ans;
	int			 r;

	memset(&t, 0, sizeof(t));
	t.c = c;
	t.next = FIRST_CASE;
	memset(&res, 0, sizeof(res));
	talk_step(&t, text, T0, &res);
	r = made_right(&res, cat, grid);
	if (r == 0) {
		dialog_result_clear(&res);
		r = corrected(&t, cat, grid, !utf8_has_cjk(text), problem_ans);
		free(t.data);
		return r;
	}
	if (r < 0 && res.conv.state != DS_IDLE) {
		ans = res.conv.state == DS_ASK_PLACE ? place_ans : problem_ans;
		dialog_result_clear(&res);
		talk_step(&t, ans, T0 + 60, &res);
		r = made_right(&res, cat, grid);
		if (verbose && r != 1)
			printf("# %s: not after the written answer: %s -> %s -> %s\n",
			    c->name, text, ans, effect_of(&res, EFF_REPLY) ?
			    effect_of(&res, EFF_REPLY)->text : "-");
	}
	free(t.data);
	dialog_result_clear(&res);
	return r == 1;
}

static void
run_row(struct county *c, const char *text, const char *catid, const char *gridid,
    const char *place_ans, const char *problem_ans)
{
	struct dialog_result	 res;
	struct talk		 t;
	const struct effect	*r;
	char			*ans = NULL;
	int			 cat = index_of_cat(c->cfg, catid);
	int			 grid = index_of_grid(c->cfg, gridid);
	int			 once, after = -1;
	bool			 en = !utf8_has_cjk(text);

	memset(&t, 0, sizeof(t));
	t.c = c;
	t.next = FIRST_CASE;
	memset(&res, 0, sizeof(res));
	talk_step(&t, text, T0, &res);
	once = made_right(&res, cat, grid);
	r = effect_of(&res, EFF_REPLY);
	if (once < 0 && (ans = natural_answer(c, &res, cat, grid, en)) != NULL) {
		char *q = xstrdup(r != NULL ? r->text : "-");

		dialog_result_clear(&res);
		talk_step(&t, ans, T0 + 60, &res);
		after = made_right(&res, cat, grid);
		if (verbose && after != 1)
			printf("# %s: not after one answer: %s -> %s -> %s\n",
			    c->name, text, ans,
			    effect_of(&res, EFF_REPLY) ? effect_of(&res, EFF_REPLY)->text : "-");
		else if (verbose)
			printf("# %s: asked: %s -> %.60s\n", c->name, text, q);
		free(q);
	} else if (verbose && once != 1)
		printf("# %s: wrong at once: %s -> %s\n", c->name, text,
		    r != NULL ? r->text : "-");
	c->rows++;
	c->wrong += once == 0;
	c->at_once += once == 1;
	c->after += once == 1 || after == 1;
	c->fixed += once == 1 || after == 1 ||
	    (once == 0 && corrected(&t, cat, grid, en, NULL) == 1);
	if (place_ans != NULL && problem_ans != NULL) {
		c->written++;
		c->written_after += written_answer(c, text, cat, grid, place_ans,
		    problem_ans);
	}
	free(ans);
	free(t.data);
	dialog_result_clear(&res);
}

static void
run_county(struct county *c)
{
	FILE	*f;
	char	 line[2048], *tab1, *tab2, *tab3, *tab4, *tab5, *nl;
	bool	 header = true;

	if (c->rows > 0)
		return;
	f = fopen(c->corpus, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl = '\0';
		if (header) {
			header = false;
			continue;
		}
		tab1 = strchr(line, '\t');
		tab2 = tab1 != NULL ? strchr(tab1 + 1, '\t') : NULL;
		if (tab2 == NULL) {
			fail_msg("%s: a row without its columns: %s", c->corpus, line);
			break;
		}
		*tab1 = *tab2 = '\0';
		tab4 = tab5 = NULL;
		if ((tab3 = strchr(tab2 + 1, '\t')) != NULL) {
			*tab3 = '\0';
			/* optional: the resident's own answers */
			if ((tab4 = strchr(tab3 + 1, '\t')) != NULL &&
			    (tab5 = strchr(tab4 + 1, '\t')) != NULL)
				*tab4++ = *tab5++ = '\0';
			else
				tab4 = NULL;
		}
		run_row(c, line, tab1 + 1, tab2 + 1, tab4, tab5);
	}
	fclose(f);
}

static int
setup(void **state)
{
	struct config_errors	 errs = { 0 };
	size_t			 i;

	(void)state;
	verbose = getenv("FIRSTMSG_VERBOSE") != NULL;
	for (i = 0; i < nrun; i++) {
		run[i].cfg = config_load(run[i].config, &errs);
		if (run[i].cfg == NULL) {
			for (size_t e = 0; e < errs.n; e++)
				fprintf(stderr, "%s\n", errs.lines[e]);
			config_errors_free(&errs);
			return -1;
		}
		run[i].tix = text_index_new(run[i].cfg);
	}
	config_errors_free(&errs);
	return 0;
}

static int
teardown(void **state)
{
	size_t	 i, rows = 0, once = 0, after = 0, fixed = 0;

	(void)state;
	for (i = 0; i < nrun; i++) {
		rows += run[i].rows;
		once += run[i].at_once;
		after += run[i].after;
		fixed += run[i].fixed;
		text_index_free(run[i].tix);
		config_free(run[i].cfg);
	}
	/* (run.py repeats "# corpus: " lines: not the sanitizer's half) */
	printf("# corpus%s: at once %zu/%zu (%zu%%), after one answer %zu/%zu "
	    "(%zu%%), after one reply (or a correction) %zu/%zu (%zu%%)\n",
	    halved ? " of every other county (sanitizer build)" : "", once,
	    rows, rows ? once * 100 / rows : 0, after, rows,
	    rows ? after * 100 / rows : 0, fixed, rows, rows ? fixed * 100 / rows : 0);
	return 0;
}

static void
check_floor(struct county *c)
{
	run_county(c);
	printf("# corpus %s: at once %zu/%zu, after one answer %zu/%zu, "
	    "after one reply (or a correction) %zu/%zu, filed wrong at once %zu\n",
	    c->name, c->at_once, c->rows, c->after, c->rows, c->fixed, c->rows,
	    c->wrong);
	if (c->written > 0)
		printf("# corpus %s: after the resident's own answer %zu/%zu\n",
		    c->name, c->written_after, c->written);
	assert_true(c->rows >= c->min_rows);
	if (c->at_once * 100 < (size_t)c->floor_once * c->rows)
		fail_msg("%s: right at once %zu/%zu, below the floor of %d%%",
		    c->name, c->at_once, c->rows, c->floor_once);
	if (c->after * 100 < (size_t)c->floor_after * c->rows)
		fail_msg("%s: right after one answer %zu/%zu, below the floor of %d%%",
		    c->name, c->after, c->rows, c->floor_after);
}

/* One county's rows, its floors checked: *state is its struct county. */
static void
test_county(void **state)
{
	check_floor(*state);
}

/*
 * FIRSTMSG_ONLY's pairs, "CONFIG:ROWS" separated by spaces, as counties with
 * no floor, named by their rows' file.  0 on success.
 */
static int
only_counties(char *spec)
{
	static struct county	 only[64];
	char			*pair, *rows, *name, *dot, *save = NULL;

	nrun = 0;
	for (pair = strtok_r(spec, " ", &save); pair != NULL;
	    pair = strtok_r(NULL, " ", &save)) {
		if ((rows = strchr(pair, ':')) == NULL || nrun == nitems(only)) {
			fprintf(stderr, "FIRSTMSG_ONLY: \"%s\" is not CONFIG:ROWS "
			    "(at most %zu pairs)\n", pair, nitems(only));
			return -1;
		}
		*rows++ = '\0';
		name = strrchr(rows, '/') != NULL ? strrchr(rows, '/') + 1 : rows;
		name = xstrdup(name);
		if ((dot = strrchr(name, '.')) != NULL)
			*dot = '\0';
		only[nrun] = (struct county){ .name = name, .config = pair,
		    .corpus = rows, .min_rows = 1 };
		nrun++;
	}
	run = only;
	return nrun > 0 ? 0 : -1;
}

int
main(void)
{
	static struct CMUnitTest tests[nitems(counties) + 64];
	char			*only = getenv("FIRSTMSG_ONLY");
	size_t			 i;

	run = counties;
	nrun = nitems(counties);
	if (only != NULL && only_counties(only) != 0)
		return 1;
#ifdef __SANITIZE_ADDRESS__
	/* the sanitizer build looks for memory errors, which every other
	 * county finds as well as all do; the plain build holds every
	 * county to its floors (make test's time) */
	if (only == NULL) {
		for (i = 0; 2 * i < nrun; i++)
			halves[i] = counties[2 * i];
		run = halves;
		nrun = i;
		halved = true;
	}
#endif
	for (i = 0; i < nrun; i++) {
		tests[i].name = run[i].name;
		tests[i].test_func = test_county;
		tests[i].initial_state = &run[i];
	}
	log_init(-1);
	return _cmocka_run_group_tests("firstmsg", tests, nrun, setup, teardown);
}
