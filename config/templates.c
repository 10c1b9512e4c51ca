/*
 * config/templates.c: the built-in message templates, in Chinese and
 * English, that the config's "templates" section may override key by key.
 * A template is plain text with {name} placeholders, filled by
 * dialog_render(); a placeholder is "{" letters, digits or "_" "}", and
 * any other brace is literal text.
 *
 * To add a message, add one row to templates[] below: its key, the zh text
 * (keep it within 70 UTF-16 units where you can: one SMS segment) and the
 * en text (NULL falls back to zh).  Both texts should use the same
 * placeholders; tests/unit/test_config.c checks that.
 */
#include "config.h"

#include <string.h>

struct template {
	const char	*key;
	const char	*zh;	/* never NULL */
	const char	*en;	/* NULL: the zh text */
};

/*
 * Placeholders used below: number (case number), deputy (deputy name),
 * grid, place, category, description, status, detail, result, and choices
 * (a numbered list, one choice a line).
 */
static const struct template templates[] = {
	/* resident: first contact, help and the intake questions */
	{ "greeting",
	  "您好，这里是人大代表民意直通。请发送诉求，写明村(社区)和问题，"
	  "如“某村村口路灯不亮”。回复“帮助”看用法。",
	  "Hello, this is your deputies' hotline. Send your request with "
	  "your village and the problem, e.g. \"street light out at the "
	  "village gate\". Reply HELP for more." },
	{ "help",
	  "发送诉求即可登记，写明村(社区)和问题。查询+编号看进度，"
	  "取消+编号撤回，退订停止通知，订阅恢复通知。",
	  "Send your request with your village and the problem. QUERY n: "
	  "progress. CANCEL n: withdraw. STOP: no more messages. START: "
	  "resume." },
	{ "ask_category",
	  "请问是哪类问题？回复数字：\n{choices}",
	  "Which kind of problem is it? Reply with a number:\n{choices}" },
	{ "ask_place",
	  "请问在哪个村(社区)？回复数字或名称：\n{choices}",
	  "Which village or community is it in? Reply with a number or the "
	  "name:\n{choices}" },
	{ "ask_description",
	  "请用一两句话说明问题，如“路灯不亮已三天”。",
	  "Please describe the problem in a sentence or two." },
	{ "confirm",
	  "请确认：{place}，{category}，“{description}”。回复1提交，2重填。",
	  "Please confirm: {place}, {category}, \"{description}\". Reply 1 "
	  "to submit, 2 to start over." },
	{ "received",
	  "已受理，编号{number}，已转{deputy}代表办理。回复“查询{number}”看进度。",
	  "Received: case {number}, sent to deputy {deputy}. Reply QUERY "
	  "{number} for progress." },
	{ "expired",
	  "因较长时间未回复，本次登记已结束，需要时请重新发送诉求。",
	  "This request timed out without a reply. Send it again when you "
	  "are ready." },

	/* resident: commands */
	{ "status",
	  "诉求{number}：{status}。{detail}",
	  "Case {number}: {status}. {detail}" },
	{ "not_found",
	  "未找到诉求{number}，请核对编号。",
	  "There is no case {number}; please check the number." },
	{ "cancelled",
	  "诉求{number}已撤回。",
	  "Case {number} is withdrawn." },
	{ "unsubscribed",
	  "已退订，不再发送通知。回复“订阅”可恢复。",
	  "You will get no more messages. Reply START to resume." },
	{ "subscribed",
	  "已恢复通知。",
	  "Messages resumed." },

	/* resident: the result and the rating (群众评单) */
	{ "rating_prompt",
	  "诉求{number}已办结：{result}。请评价：回复1-5，或满意/基本满意/不满意。",
	  "Case {number} is resolved: {result}. Please rate it: reply 1-5, "
	  "or satisfied / fair / unsatisfied." },
	{ "rating_thanks",
	  "感谢您的评价！",
	  "Thank you for your rating." },

	/* deputies and department contacts */
	{ "deputy_new_case",
	  "新诉求{number}【{grid}·{category}】{description}。回复“接单{number}”接单。",
	  "New case {number} [{grid}, {category}]: {description}. Reply "
	  "ACCEPT {number} to take it." },
	{ "deputy_help",
	  "接单N；进展N 内容；派单N 部门 天数；办结N 结果；转N 代表；"
	  "退回N 理由；列表；查N。",
	  "ACCEPT n; NOTE n text; DISPATCH n dept days; RESOLVE n result; "
	  "TRANSFER n deputy; REJECT n reason; LIST; SHOW n." },
	{ "not_staff",
	  "此指令仅限代表和部门联系人使用。",
	  "Only deputies and department contacts can use this command." },

	/*
	 * The resident dialog (dialogs/resident.c): the intake, the case it
	 * creates, the deputy's alert and the commands.  Placeholders also:
	 * township, phone (masked), holder (who handles a case), name, and
	 * the pieces howto and commands (rendered from case_howto and
	 * deputy_commands*).
	 */
	{ "ask_village",
	  "请回复您所在的村或社区名称。",
	  "Please reply with the name of your village or community." },
	{ "case_created",
	  "已受理，编号{number}：{category}，{place}，已转{deputy}。{howto}",
	  "Case {number} received: {category}, {place}; sent to {deputy}. "
	  "{howto}" },
	{ "case_triage",
	  "已受理，编号{number}：{category}。村(社区)未能确定，已转{township}分办。"
	  "{howto}",
	  "Case {number} received: {category}. Village unclear, so it went "
	  "to {township} to assign. {howto}" },
	{ "case_howto",
	  "回复“查询{number}”看进度，“取消{number}”撤回。",
	  "Reply STATUS {number} for progress, CANCEL {number} to withdraw." },
	{ "deputy_alert",
	  "新诉求{number}【{place}·{category}】“{description}”群众{phone}。"
	  "{commands}",
	  "New case {number} [{place}, {category}]: \"{description}\" from "
	  "{phone}. {commands}" },
	{ "deputy_alert_triage",
	  "待分办{number}【{place}·{category}】“{description}”群众{phone}。"
	  "{commands}",
	  "Case {number} to assign [{place}, {category}]: \"{description}\" "
	  "from {phone}. {commands}" },
	{ "deputy_commands",
	  "回复“接单{number}”接单，“退回{number} 理由”退回。",
	  "Reply ACCEPT {number} to take it, REJECT {number} reason to "
	  "decline." },
	{ "deputy_commands_triage",
	  "回复“转{number} 网格”转交，“接单{number}”或“退回{number} 理由”。",
	  "Reply TRANSFER {number} grid, ACCEPT {number}, or REJECT {number} "
	  "reason." },
	{ "triage_place",
	  "{township}（{place}）",
	  "{township} ({place})" },
	{ "deputy_named",
	  "{name}代表",
	  "Deputy {name}" },
	{ "category_none",
	  "未分类",
	  "unsorted" },
	{ "place_unknown",
	  "不明",
	  "unknown" },
	{ "status_none",
	  "您还没有提交过诉求。发送问题和村(社区)名称即可登记。",
	  "You have no requests yet. Send the problem and your village to "
	  "raise one." },
	{ "status_detail",
	  "类别：{category}，经办：{holder}。",
	  "{category}, handled by {holder}." },
	{ "cancel_refused",
	  "诉求{number}{status}，不能撤销。",
	  "Case {number} can no longer be withdrawn ({status})." },
	{ "cancel_usage",
	  "请回复“取消”加诉求编号，如“取消{number}”。",
	  "Reply CANCEL and the case number, e.g. CANCEL {number}." },
	{ "intake_cancelled",
	  "好的，本次登记已取消。",
	  "OK, this request is dropped." },
	{ "intake_dropped",
	  "没能看明白您的问题，本次登记已结束。需要时请重新发送，写明村(社区)和问题。",
	  "Sorry, we could not make out the problem, so this request is "
	  "closed. Send it again with your village and the problem." },
	{ "lapsed",
	  "您上次的提问已过期。",
	  "Your earlier question has lapsed." },

	/* case statuses as residents read them */
	{ "status_received",	"已受理",	"received" },
	{ "status_accepted",	"代表已接单",	"accepted by the deputy" },
	{ "status_dispatched",	"已派单",	"sent to the department" },
	{ "status_in_progress",	"办理中",	"in progress" },
	{ "status_resolved",	"已办结",	"resolved" },
	{ "status_closed",	"已评价办结",	"closed" },
	{ "status_reopened",	"重新办理",	"reopened" },
	{ "status_declined",	"已退回",	"declined" },
	{ "status_cancelled",	"已撤销",	"withdrawn" },
};

static const struct template *
template_find(const char *key)
{
	size_t	 i;

	if (key == NULL)
		return NULL;
	for (i = 0; i < nitems(templates); i++)
		if (strcmp(templates[i].key, key) == 0)
			return &templates[i];
	return NULL;
}

bool
config_template_known(const char *key)
{
	return template_find(key) != NULL;
}

const char *
config_template_key(size_t i)
{
	return i < nitems(templates) ? templates[i].key : NULL;
}

/*
 * The next {name} placeholder at or after s: returns a pointer to its
 * name (just past the "{") and sets *len, or NULL when there is none.
 */
static const char *
template_next_var(const char *s, size_t *len)
{
	size_t	 n;

	while ((s = strchr(s, '{')) != NULL) {
		s++;
		n = strspn(s, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
		if (n > 0 && s[n] == '}') {
			*len = n;
			return s;
		}
	}
	return NULL;
}

/* Does text (may be NULL) use placeholder name (len bytes)? */
static bool
template_has_var(const char *text, const char *name, size_t len)
{
	const char	*v;
	size_t		 n;

	if (text == NULL)
		return false;
	for (v = text; (v = template_next_var(v, &n)) != NULL; v += n)
		if (n == len && memcmp(v, name, len) == 0)
			return true;
	return false;
}

int
config_template_check(const char *key, const char *text, char *bad,
    size_t badsz)
{
	const struct template	*t;
	const char		*v;
	size_t			 n;

	if ((t = template_find(key)) == NULL)
		fatalx("config: unknown template \"%s\"", key ? key : "(null)");
	for (v = text; (v = template_next_var(v, &n)) != NULL; v += n) {
		if (template_has_var(t->zh, v, n) || template_has_var(t->en, v, n))
			continue;
		if (badsz > 0) {
			if (n >= badsz)
				n = badsz - 1;
			memcpy(bad, v, n);
			bad[n] = '\0';
		}
		return -1;
	}
	return 0;
}

/*
 * lang NULL means the config's language (zh without a config).  The
 * override comes from cfg->templates[lang][key]; cfg may be NULL.
 */
const char *
config_template(const struct config *cfg, const char *lang, const char *key)
{
	const struct template	*t;
	json_t			*v;

	if ((t = template_find(key)) == NULL)
		fatalx("config: unknown template \"%s\"", key ? key : "(null)");
	if (lang == NULL)
		lang = cfg != NULL && cfg->language != NULL ? cfg->language : "zh";
	if (cfg != NULL && cfg->templates != NULL) {
		v = json_object_get(json_object_get(cfg->templates, lang), key);
		if (json_is_string(v))
			return json_string_value(v);
	}
	if (strcmp(lang, "en") == 0 && t->en != NULL)
		return t->en;
	return t->zh;
}
