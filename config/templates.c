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
	{ "fix_ask_category",
	  "诉求{number}是哪类问题？回复数字：\n{choices}",
	  "Which kind of problem is case {number}? Reply with a number:\n{choices}" },
	{ "ask_place",
	  "请问在哪个村(社区)？回复数字或名称：\n{choices}",
	  "Which village or community is it in? Reply with a number or the "
	  "name:\n{choices}" },
	{ "ask_description",
	  "请说说是什么问题，如“路灯不亮已三天”。",
	  "What is the problem? Please tell us in a sentence or two." },
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
	  "诉求{number}已办结：{result}。请打分：回复1到5，5分最满意，1分最不满意。",
	  "Case {number} is resolved: {result}. Please rate it from 1 to 5 "
	  "(5 is best, 1 is worst)." },
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
	  "退回N 理由；上报N；分办N 村；督办N；代办 手机 诉求；列表；查N",
	  "ACCEPT n; NOTE n text; DISPATCH n dept days; RESOLVE n result; "
	  "TRANSFER n deputy; REJECT n reason; ESCALATE n; TRIAGE n village; "
	  "PRESS n text; ONBEHALF phone text; LIST; SHOW n." },
	{ "recategorized",
	  "好的，诉求{number}的问题已改为：{category}。",
	  "Done: case {number} is now filed as {category}." },
	{ "fix_kept",
	  "好的，诉求{number}按原来的问题办理。",
	  "Case {number} stays as it was filed." },
	{ "deputy_case_recategorized",
	  "诉求{number}：群众更正问题为“{category}”（原为“{was}”）。",
	  "Case {number}: the resident says the problem is {category}, not {was}." },
	{ "deputy_case_withdrawn",
	  "诉求{number}已由群众撤回，无需再办。",
	  "Case {number} was withdrawn by the resident: no further action needed." },
	{ "rate_limited",
	  "您发送得太频繁了，请稍后再发。",
	  "You are sending too fast; please wait a minute and try again." },
	{ "limit_cases",
	  "您今天提交的诉求已较多，请明天再提交；急事请拨打12345热线。",
	  "You have raised many requests today; please send more tomorrow, "
	  "or call the 12345 hotline if it is urgent." },
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
	  "已受理，编号{number}：{category}，{place}，已交给{deputy}。{howto}",
	  "Case {number} received: {category}, {place}; sent to {deputy}. "
	  "{howto}" },
	{ "case_triage",
	  "已受理，编号{number}：{category}。还不清楚是哪个村(社区)，已请{township}"
	  "找人来办。{howto}",
	  "Case {number} received: {category}. We could not tell the village, so "
	  "{township} will find someone to handle it. {howto}" },
	{ "duplicate_own",
	  "这个问题您已经反映过了，编号{number}，正在办理，不用再发。回复“查询{number}”看进度。",
	  "You already reported this: case {number} is being handled, no need "
	  "to send it again. Reply STATUS {number} for progress." },
	{ "case_second",
	  "您说的另一个问题（{category}）请另发一条，我们分开办理。",
	  "Please send the other problem ({category}) as a separate message." },
	{ "case_guessed",
	  "问题不对请回复“不对，是…”。",
	  "Wrong problem? Reply: Wrong, it is ..." },
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
	{ "deputy_alert_reporters",
	  "已有{count}位群众反映（首报{first}）：",
	  "{count} residents have reported this (first: case {first}): " },
	{ "deputy_commands",
	  "回复“接单{number}”接单，“退回{number} 理由”退回。",
	  "Reply ACCEPT {number} to take it, REJECT {number} reason to "
	  "decline." },
	{ "deputy_commands_triage",
	  "回复“转{number} 网格”转交，“接单{number}”或“退回{number} 理由”。",
	  "Reply TRANSFER {number} grid, ACCEPT {number}, or REJECT {number} "
	  "reason." },
	{ "staff_commands_triage",
	  "回复“分办{number} 村名”分给网格，或“退回{number} 理由”。",
	  "Reply TRIAGE {number} village to place it, or DECLINE {number} "
	  "reason." },
	{ "county_office",
	  "县人大常委会",
	  "the county congress office" },
	{ "triage_place",
	  "{township}（{place}）",
	  "{township} ({place})" },
	{ "deputy_named",
	  "{name}代表",
	  "Deputy {name}" },
	{ "category_other",
	  "其他",
	  "Other" },
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
	  "问题：{category}，负责人：{holder}。",
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
	{ "intake_filed_open",
	  "{place}那条已受理，编号{number}，问题类别由工作人员确定。",
	  "Your request for {place} is case {number}; staff will sort its problem." },
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
	/* the same, as residents read them where the words above are office
	 * words (the others are the same for both) */
	{ "resident_status_accepted",	"代表在办",	"with the deputy" },
	{ "resident_status_dispatched",	"已交部门办理",	"with the department" },
	{ "resident_status_declined",	"这里办不了",	"cannot be handled here" },
	{ "status_cancelled",	"已撤销",	"withdrawn" },

	/*
	 * Staff commands (dialogs/staff.c), ratings and the scheduler
	 * (dialogs/schedule.c).  Placeholders also: due (a date and time),
	 * department, by (who wrote), text, reason, target, score, comment,
	 * count, lines, overdue, extra, time, event, hours.
	 */
	{ "staff_refuse_closed",
	  "诉求{number}已关闭，不能再办理。",
	  "Case {number} is already closed." },
	{ "staff_refuse_declined",
	  "诉求{number}已退回，不再办理。",
	  "Case {number} was declined and is no longer handled." },
	{ "staff_refuse_cancelled",
	  "诉求{number}已由群众撤销。",
	  "Case {number} was withdrawn by the resident." },
	{ "staff_refuse_resolved",
	  "诉求{number}已办结，正等群众评价。",
	  "Case {number} is resolved and awaits the resident's rating." },
	{ "staff_refuse_accepted",
	  "诉求{number}已接单，当前：{status}。",
	  "Case {number} is taken already ({status})." },
	{ "staff_refuse_not_accepted",
	  "诉求{number}尚未接单，请先回复“接单{number}”。",
	  "Case {number} is not accepted yet: reply ACCEPT {number} first." },
	{ "staff_refuse_not_dispatched",
	  "诉求{number}目前未交贵单位办理（{status}）。",
	  "Case {number} is not with your department now ({status})." },
	{ "staff_refuse_dispatched",
	  "诉求{number}已派单，不能再转交或退回。",
	  "Case {number} is dispatched: it can no longer be transferred or "
	  "declined." },
	{ "staff_refuse_not_resolved",
	  "诉求{number}尚未办结（{status}）。",
	  "Case {number} is not resolved ({status})." },
	{ "staff_refuse_status",
	  "诉求{number}当前{status}，不能这样办理。",
	  "Case {number} is {status}: that cannot be done now." },
	{ "staff_not_yours",
	  "诉求{number}不由您负责，无权办理。",
	  "Case {number} is not yours to handle." },
	{ "staff_unknown",
	  "未识别的指令。回复“帮助”查看指令。",
	  "Unknown command. Reply HELP for the list." },
	{ "staff_dept_help",
	  "进展N 内容：报告进展；办结N 结果：办结并请群众评价；查N；退回N 理由。",
	  "NOTE n text: report progress; RESOLVE n result: done, the "
	  "resident rates it; SHOW n; DECLINE n reason: return it." },
	{ "staff_usage_accept",
	  "用法：接单 编号，如“接单12”。",
	  "Usage: ACCEPT n, e.g. ACCEPT 12." },
	{ "staff_usage_dispatch",
	  "用法：派单 编号 部门 [天数]，如“派单12 水利局 3”。",
	  "Usage: DISPATCH n department [days], e.g. DISPATCH 12 water 3." },
	{ "staff_usage_note",
	  "用法：进展 编号 内容，如“进展12 已派人查看”。",
	  "Usage: NOTE n text, e.g. NOTE 12 crew on site." },
	{ "staff_usage_resolve",
	  "用法：办结 编号 结果，如“办结12 路灯已修复”。",
	  "Usage: RESOLVE n result, e.g. RESOLVE 12 light repaired." },
	{ "staff_usage_transfer",
	  "用法：转 编号 代表或网格，如“转12 赵代表”。",
	  "Usage: TRANSFER n deputy-or-grid, e.g. TRANSFER 12 d-zhao." },
	{ "staff_usage_decline",
	  "用法：退回 编号 理由，如“退回12 属诉讼事项”。",
	  "Usage: DECLINE n reason, e.g. DECLINE 12 a court matter." },
	{ "staff_usage_show",
	  "用法：查 编号，如“查12”。",
	  "Usage: SHOW n, e.g. SHOW 12." },
	{ "staff_dept_unknown",
	  "没有“{department}”这个部门，请核对名称。",
	  "There is no department \"{department}\"." },
	{ "staff_dept_ambiguous",
	  "“{department}”对应多个部门：{choices}。请写全称。",
	  "\"{department}\" matches several departments: {choices}. Please "
	  "give the full name." },
	{ "staff_target_unknown",
	  "没有“{target}”这位代表或这个网格，请核对。",
	  "There is no deputy or grid \"{target}\"." },
	{ "staff_target_same",
	  "诉求{number}已由{deputy}负责。",
	  "Case {number} is with {deputy} already." },
	{ "staff_ok_accepted",
	  "已接单{number}：{category}，{place}。交办请回复"
	  "“派单{number} 部门 天数”。",
	  "You took case {number}: {category}, {place}. To dispatch: "
	  "DISPATCH {number} dept days." },
	{ "staff_ok_dispatched",
	  "诉求{number}已派{department}，期限{due}。",
	  "Case {number} sent to {department}, due {due}." },
	{ "staff_ok_note",
	  "诉求{number}的进展已转告群众。",
	  "The resident is told of the progress on case {number}." },
	{ "staff_ok_resolved",
	  "诉求{number}已办结，已请群众评价。",
	  "Case {number} is resolved; the resident is asked to rate it." },
	{ "staff_ok_transferred",
	  "诉求{number}已转{deputy}。",
	  "Case {number} is passed to {deputy}." },
	{ "staff_ok_declined",
	  "诉求{number}已退回，已告知群众理由。",
	  "Case {number} is declined; the resident is told why." },
	{ "deputy_contacts",
	  "{grid}的人大代表：{deputies}。{duty}有事可直接发来诉求，写明村名和问题，"
	  "我们转给代表办理。",
	  "Deputies of {grid}: {deputies}. {duty}To raise a request, send it "
	  "with your village and the problem." },
	{ "deputy_on_duty",
	  "今天值班：{deputy}。",
	  "On duty today: {deputy}. " },
	{ "deputy_which",
	  "请发送“找代表”加村(社区)名，如“找代表刘辛店村”。",
	  "Send DEPUTY and your village, e.g. DEPUTY Dazhao." },
	{ "staff_dep_taken",
	  "诉求{number}已由{deputy}接单，您无需再办。",
	  "Case {number} was taken by {deputy}; you need not act on it." },
	{ "staff_usage_escalate",
	  "用法：上报 编号 [理由]，如“上报12 需乡镇协调”。",
	  "Usage: ESCALATE n [reason], e.g. ESCALATE 12 needs the township." },
	{ "staff_usage_triage",
	  "用法：分办 编号 村名或网格，如“分办12 王楼村”。",
	  "Usage: TRIAGE n village, e.g. TRIAGE 12 Dazhao." },
	{ "staff_escalate_top",
	  "诉求{number}已由县人大常委会统筹，不能再上报。",
	  "Case {number} is with the county office already: no higher level." },
	{ "staff_escalate_note",
	  "，理由：{reason}",
	  " (reason: {reason})" },
	{ "staff_ok_escalated",
	  "诉求{number}已上报{level}。",
	  "Case {number} is passed up to {level}." },
	{ "staff_res_escalated",
	  "您的诉求{number}已上报{level}协调办理。",
	  "Your case {number} is now with {level}." },
	{ "staff_tier_raised",
	  "【上报】{by}上报诉求{number}（{place}·{category}）至{level}{note}，"
	  "请派单{number}交办。",
	  "{by} passed case {number} ({place}, {category}) up to {level}{note}. "
	  "Reply DISPATCH {number} dept days." },
	{ "staff_tier2_accepted",
	  "【乡镇统筹】诉求{number}（{place}·{category}）已由{deputy}接单，属乡镇事项，"
	  "可派单{number}交办。",
	  "Township matter: case {number} ({place}, {category}) taken by "
	  "{deputy}. You may DISPATCH {number} dept days." },
	{ "staff_tier3_accepted",
	  "【县级交办】诉求{number}（{place}·{category}）已由{deputy}接单，需县里统筹，"
	  "请派单{number}交办。",
	  "County matter: case {number} ({place}, {category}) taken by "
	  "{deputy}. Please DISPATCH {number} dept days." },
	{ "staff_refuse_triage",
	  "诉求{number}已在办理（{status}），不能再分办。",
	  "Case {number} is under way ({status}): it cannot be triaged." },
	{ "staff_grid_unknown",
	  "没有“{target}”这个村(社区)或网格，请核对。",
	  "There is no village or grid \"{target}\"." },
	{ "staff_dep_triaged",
	  "【分办】诉求{number}（{grid}·{category}）交您：{description}。"
	  "{caller}请接单{number}。",
	  "Case {number} ({grid}, {category}) is placed with you: "
	  "{description}. {caller}Reply ACCEPT {number}." },
	{ "staff_ok_triaged",
	  "诉求{number}已分给{grid}的{deputy}。",
	  "Case {number} is placed with {deputy} of {grid}." },
	{ "staff_res_triaged",
	  "您的诉求{number}已分给{grid}的{deputy}办理。",
	  "Your case {number} is now with {deputy} of {grid}." },
	{ "staff_usage_close",
	  "用法：结案 编号 理由，如“结案12 重复诉求，见诉求9”。",
	  "Usage: CLOSE n reason, e.g. CLOSE 12 duplicate of case 9." },
	{ "staff_close_not_yours",
	  "诉求{number}只能由县人大常委会、乡镇人大或主席团结案。",
	  "Case {number} can be closed only by the county office, the township "
	  "staff or its chair." },
	{ "staff_ok_closed",
	  "诉求{number}已结案。",
	  "Case {number} is closed." },
	{ "staff_res_closed",
	  "您的诉求{number}已关闭：{reason}。",
	  "Your case {number} is closed: {reason}." },
	{ "staff_closed_notice",
	  "【结案】{by}已将诉求{number}结案：{reason}，无需再办。",
	  "{by} closed case {number}: {reason}. No further action needed." },
	{ "staff_usage_press",
	  "用法：督办 编号 内容，如“督办12 请本周内修好”。",
	  "Usage: PRESS n text, e.g. PRESS 12 please fix it this week." },
	{ "staff_press_none",
	  "诉求{number}当前{status}，没有承办部门可督办。",
	  "Case {number} is {status}: no department to press." },
	{ "staff_dept_pressed",
	  "【督办】{by}督办诉求{number}：{text}。请抓紧办理，回复“进展{number} 内容”。",
	  "{by} presses case {number}: {text}. Reply NOTE {number} text." },
	{ "staff_ok_pressed",
	  "已向{department}督办诉求{number}。",
	  "{department} is pressed on case {number}." },
	{ "staff_dep_note",
	  "{department}报诉求{number}进展：{text}",
	  "{department} on case {number}: {text}" },
	{ "staff_ok_returned",
	  "诉求{number}已退回派单人。",
	  "Case {number} is returned to whoever dispatched it." },
	{ "staff_dep_returned",
	  "【退回】{department}退回诉求{number}：{reason}。请重新派单或处理。",
	  "{department} returned case {number}: {reason}. Please dispatch it "
	  "again or handle it." },
	{ "staff_usage_onbehalf",
	  "用法：代办 手机号 诉求，如“代办13800138000 王楼村老人家里停水”。",
	  "Usage: ONBEHALF phone request, e.g. ONBEHALF 13800138000 no water "
	  "at Dazhao." },
	{ "staff_onbehalf_who",
	  "只有代表、工作人员和民情观察员可以代办。",
	  "Only deputies, staff and observers may file on someone's behalf." },
	{ "staff_onbehalf_phone",
	  "“{target}”不是有效的手机号，请核对。",
	  "\"{target}\" is not a valid phone number." },
	{ "staff_onbehalf_self",
	  "代办请填写群众的手机号；您本人的诉求请直接发送。",
	  "ONBEHALF takes the resident's number; send your own request as it "
	  "is." },
	{ "staff_onbehalf_no_channel",
	  "没有可发短信给群众的渠道，暂不能代办。",
	  "No SMS channel reaches the resident: cannot file on their behalf." },
	{ "observer_help",
	  "回复“代办 手机号 诉求”为群众登记诉求，如“代办13800138000 老人家停水”。",
	  "Reply ONBEHALF phone request to file for a resident, e.g. "
	  "ONBEHALF 13800138000 no water." },
	{ "onbehalf_copy",
	  "【代办回执】{receipt}",
	  "Filed for the resident: {receipt}" },
	{ "staff_res_accepted",
	  "您的诉求{number}已由{deputy}接手办理。",
	  "Your case {number} is being handled by {deputy}." },
	{ "staff_res_dispatched",
	  "您的诉求{number}已交{department}办理，{due}前办好。",
	  "Your case {number} is with {department}, to be done by {due}." },
	{ "staff_res_note",
	  "诉求{number}进展（{by}）：{text}",
	  "Case {number} update ({by}): {text}" },
	{ "staff_res_declined",
	  "您的诉求{number}这里办不了：{reason}。可以打{hint}反映。",
	  "Your case {number} cannot be handled here: {reason}. You can call "
	  "{hint} instead." },
	{ "staff_dept_new_case",
	  "【交办】{number}号{category}·{place}：{description}。{extra}期限{due}。{howto}",
	  "New case {number} ({category}, {place}): {description}. {extra}Due "
	  "{due}. {howto}" },
	{ "staff_dept_lead",
	  "主办，协办：{departments}。",
	  "You lead; assisting: {departments}. " },
	{ "staff_dept_assist",
	  "协办，主办：{department}，由其办结。",
	  "You assist {department}, which resolves it. " },
	{ "staff_dept_instruction",
	  "要求：{text}。",
	  "To do: {text}. " },
	{ "staff_dept_complaint",
	  "群众不满意：{comment}。",
	  "The resident was unsatisfied: {comment}. " },
	{ "staff_assist_no_resolve",
	  "诉求{number}由主办单位办结；贵单位协办，可回复“进展{number} 内容”。",
	  "Case {number} is resolved by its lead department; you assist: NOTE "
	  "{number} text." },
	{ "staff_show_instruction",
	  "\n要求：{text}",
	  "\nTo do: {text}" },
	{ "staff_dept_caller",
	  "群众电话{phone}。",
	  "Resident: {phone}. " },
	{ "staff_dept_howto",
	  "回复“进展{number} 内容”报进展，“办结{number} 结果”办结。",
	  "Reply NOTE {number} text for progress, RESOLVE {number} result "
	  "when done." },
	{ "staff_dept_withdrawn",
	  "诉求{number}已改交{department}办理，贵单位无需再办。",
	  "Case {number} now goes to {department}; your department need not "
	  "act on it." },
	{ "staff_dep_resolved",
	  "{department}已办结诉求{number}：{result}",
	  "{department} resolved case {number}: {result}" },
	{ "staff_dep_transferred",
	  "{by}转来诉求{number}【{grid}·{category}】{description}。"
	  "回复“接单{number}”接单。",
	  "{by} passed you case {number} [{grid}, {category}]: {description}. "
	  "Reply ACCEPT {number} to take it." },
	{ "staff_dep_transferred_out",
	  "诉求{number}已由{by}转给{deputy}。",
	  "Case {number} was passed by {by} to {deputy}." },
	{ "staff_dep_reopened",
	  "诉求{number}群众评{score}分，不满意，已退回重新办理。{comment}",
	  "Case {number} was rated {score} by the resident and is reopened. "
	  "{comment}" },
	{ "staff_comment",
	  "群众意见：{comment}",
	  "The resident says: {comment}" },
	{ "rating_reopened",
	  "已收到您的评价，诉求{number}已交回重新办理。",
	  "Thank you. Case {number} is handed back to be dealt with again." },
	{ "staff_list",
	  "待办{count}件：\n{lines}",
	  "{count} open cases:\n{lines}" },
	{ "staff_list_line",
	  "{number} {status} {category} {place}{overdue}",
	  "{number} {status} {category} {place}{overdue}" },
	{ "staff_list_overdue",
	  "【超期】",
	  " [overdue]" },
	{ "staff_list_empty",
	  "您目前没有待办诉求。",
	  "You have no open cases." },
	{ "staff_show",
	  "诉求{number}【{status}】{category}·{place}：{description}{extra}",
	  "Case {number} [{status}] {category}, {place}: {description}{extra}" },
	{ "staff_show_due",
	  "\n交{department}，期限{due}",
	  "\nWith {department}, due {due}" },
	{ "staff_show_event",
	  "\n{time} {event}",
	  "\n{time} {event}" },
	{ "staff_show_note",
	  "进展：{text}",
	  "note: {text}" },
	{ "staff_ev_transferred",	"转交",		"transferred" },
	{ "staff_ev_reminded",		"催办",		"reminded" },
	{ "staff_ev_escalated",		"督办升级",	"escalated" },
	{ "staff_ev_tier_raised",	"已上报",	"passed up" },
	{ "staff_ev_triaged",		"已分办",	"placed" },
	{ "staff_ev_pressed",		"督办",		"pressed" },
	{ "sched_accept_reminder",
	  "【提醒】诉求{number}（{category}·{place}）已超{hours}小时未接单，请回复"
	  "“接单{number}”。",
	  "Reminder: case {number} ({category}, {place}) has waited over "
	  "{hours} hours. Reply ACCEPT {number}." },
	{ "sched_escalate",
	  "【督办】诉求{number}（{grid}）{deputy}超{hours}小时未接单，请督促或回复"
	  "“接单{number}”。",
	  "Escalated: case {number} ({grid}) not taken by "
	  "{deputy} in {hours} hours. Follow up, or reply ACCEPT {number}." },
	{ "sched_overdue_dept",
	  "【督办】诉求{number}已超期（期限{due}），请尽快办理并回复"
	  "“办结{number} 结果”。",
	  "Overdue: case {number} was due {due}. Please finish it and reply "
	  "RESOLVE {number} result." },
	{ "sched_overdue_deputy",
	  "【督办】诉求{number}交{department}办理已超期（期限{due}），请督促。",
	  "Overdue: case {number} with {department} was due {due}. Please "
	  "follow up." },
	{ "sched_rating_reminder",
	  "诉求{number}已办结，请打分：回复1到5，5分最满意，1分最不满意。",
	  "Case {number} is resolved. Please rate it from 1 to 5 (5 is best, 1 "
	  "is worst)." },
	/* 民主评议 (evaluators), 票决 and duties (deputies): README 民主评议 */
	{ "eval_intro",
	  "您被抽为{township}民主评议员({round})共{count}题，"
	  "逐题答或一行答如A1 B2 C1，{closes}截止，匿名计票",
	  "You were drawn to evaluate units for {township} ({round}): "
	  "{count} questions. Answer one by one or all in one line, e.g. A1 "
	  "B2 C1. Closes {closes}. Anonymous. STOP to opt out." },
	{ "eval_question",
	  "{letter}. 对 {unit} 的 {dimension} 打分：回复1满意 2基本满意 3不满意，或0-100",
	  "{letter}. Rate {unit} on {dimension}: reply 1 satisfied, 2 fair, 3 "
	  "unsatisfied, or 0-100" },
	{ "eval_unclear",
	  "未能识别评分。请回复1满意 2基本满意 3不满意或0-100分，或一行答完如“A1 B2 C1”。",
	  "That is not a score. Reply 1 satisfied, 2 fair, 3 unsatisfied or "
	  "0-100, or all in one line, e.g. A1 B2 C1." },
	{ "eval_thanks",
	  "您的评分已计入，谢谢！计票不记姓名，结果将公示。",
	  "Your scores are counted, thank you. Votes are anonymous; the "
	  "result will be published." },
	{ "eval_already",
	  "您已完成本次评议，每人一票，本条未计入。谢谢！",
	  "You have voted already: one vote each, so this reply is not "
	  "counted. Thank you." },
	{ "eval_late",
	  "本次民主评议已于{closes}截止，您的回复未计入。感谢您的参与！",
	  "This evaluation closed at {closes}, so your reply is not counted. "
	  "Thank you for taking part." },
	{ "eval_remind",
	  "提醒：民主评议（{round}）将于{closes}截止，您还有{left}题未答。{question}",
	  "Reminder: the evaluation ({round}) closes at {closes}; {left} "
	  "questions left. {question}" },
	{ "vote_intro",
	  "{name}代表：民生实事票决《{title}》共{count}项"
	  "逐项回1同意2不同意3弃权或一行答如A1 B1 C3，{closes}截止",
	  "Deputy {name}: vote on the livelihood projects \"{title}\", "
	  "{count} in all: 1 yes, 2 no, 3 abstain each, or in one line, e.g. "
	  "A1 B1 C3. Closes {closes}." },
	{ "vote_question",
	  "{letter}. {project}：回复1同意 2不同意 3弃权",
	  "{letter}. {project}: reply 1 yes, 2 no, 3 abstain" },
	{ "vote_unclear",
	  "未能识别。请回复1同意 2不同意 3弃权，或一行答完如“A1 B1 C3”。",
	  "Not understood. Reply 1 yes, 2 no, 3 abstain, or in one line, e.g. "
	  "A1 B1 C3." },
	{ "vote_thanks",
	  "您的票决已计入，谢谢！",
	  "Your votes are counted, thank you." },
	{ "vote_already",
	  "您已投票，每人一票，本条未计入。",
	  "You have voted already: one vote each; this reply is not counted." },
	{ "vote_late",
	  "票决已于{closes}截止，您的回复未计入。",
	  "The vote closed at {closes}; your reply is not counted." },
	{ "duty_station",
	  "已记录进站接待，接待群众{count}人次。",
	  "Station day recorded: {count} people received." },
	{ "duty_visit",
	  "已记录走访{count}户。",
	  "Recorded: {count} residents visited." },
	{ "duty_report",
	  "社情民意已记录（第{number}条），谢谢。",
	  "Report recorded (no. {number}), thank you." },
	{ "duty_report_case",
	  "社情民意已记录（第{number}条），已立为诉求{case}由您办理，可回复“派单{case} 部门”。",
	  "Report recorded (no. {number}) and filed as case {case}, yours: reply "
	  "DISPATCH {case} department." },
	{ "duty_suggestion_status",
	  "您的建议（第{number}条）{status}：{note}",
	  "Your suggestion (no. {number}) is {status}: {note}" },
	{ "suggestion_handled",	"已交办",	"handled" },
	{ "suggestion_answered",	"已答复",	"answered" },
	{ "duty_inspection",
	  "已记录参加视察，谢谢。",
	  "Inspection recorded, thank you." },
	{ "duty_suggestion",
	  "建议已记录（第{number}条），办理和答复将告知您。",
	  "Suggestion recorded (no. {number}); you will hear how it is handled "
	  "and answered." },
	{ "duty_usage",
	  "用法：进站 [人数]；走访 户数 [备注]；民意 内容；建议 内容；视察 [备注]。",
	  "Usage: STATION [people]; VISIT number [note]; REPORT text; SUGGEST "
	  "text; INSPECT [note]." },
	{ "item_chase",
	  "整改督办：{unit}整改事项{number}“{text}”已过期限{deadline}，请抓紧整改并报销号。",
	  "Rectification overdue: {unit}, item {number} \"{text}\", due "
	  "{deadline}. Please finish it and report it closed." },
	{ "assess_publish",
	  "{period}代表履职公示（{township}）：{lines}",
	  "Deputies' duty record, {period} ({township}): {lines}" },
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
