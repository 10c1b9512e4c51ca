/*
 * dialogs/dialect.c: the common words of the big dialect areas, put into
 * Mandarin before the problem is read, so that 冇电 is 没电 and 屋头啥子
 * 电器都用不成 the same as 家里什么电器都用不成.  A small table, written
 * from what these dialects commonly write in messages, not from any
 * corpus; read over folded text (text_fold: Simplified, so 係 is 系 and
 * 雪櫃 is 雪柜).  Only words that mean nothing else in Mandarin, or are
 * kept in their pair (系咁, not 系 of 关系).  Pure: no I/O.
 */
#include "dialogs.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct dialect_word {
	const char	*from, *to;
};

/* Grouped by area; the look-up tries the longest first wherever one
 * word holds another (冇得 before 冇), whatever their order here. */
static const struct dialect_word dialect[] = {
	/* 粤语 (Cantonese) */
	{ "黑蚊蚊", "黑乎乎" },
	{ "黑麻麻", "黑乎乎" },
	{ "瞓唔着", "睡不着" },
	{ "乜嘢", "什么" },
	{ "咩嘢", "什么" },
	{ "边度", "哪里" },
	{ "呢度", "这里" },
	{ "嗰度", "那里" },
	{ "点解", "为什么" },
	{ "屋企", "家里" },
	{ "雪柜", "冰箱" },
	{ "冷气", "空调" },
	{ "成条", "整条" },
	{ "坏晒", "全坏了" },
	{ "用唔到", "用不了" },
	{ "行路", "走路" },
	{ "返嚟", "回来" },
	{ "返来", "回来" },
	{ "落雨", "下雨" },
	{ "食水", "吃水" },
	{ "街灯", "路灯" },
	{ "系咁", "是这样" },
	{ "都系", "都是" },
	{ "唔系", "不是" },
	{ "好嘈", "好吵" },
	{ "嘈", "吵" },
	{ "冇得", "没" },	/* Xiang too: before 冇 */
	{ "冇", "没" },
	{ "唔", "不" },
	{ "嘅", "的" },
	{ "咗", "了" },
	{ "啲", "些" },
	{ "嘢", "东西" },
	{ "瞓", "睡" },
	{ "佢", "他" },
	{ "睇", "看" },
	{ "喺", "在" },
	{ "嚟", "来" },
	{ "畀", "给" },
	{ "揾", "找" },
	{ "咁", "这样" },
	{ "嗰", "那" },
	/* 西南官话 (Sichuan, Chongqing, Yunnan, Guizhou) */
	{ "莫得", "没" },
	{ "没得", "没" },
	{ "啥子", "什么" },
	{ "咋个", "怎么" },
	{ "屋头", "家里" },
	{ "娃儿", "孩子" },
	{ "黢黑", "漆黑" },
	{ "整烂", "弄坏" },
	{ "整坏", "弄坏" },
	{ "遭不住", "受不了" },
	{ "晓得", "知道" },
	{ "坏起", "坏了" },
	{ "烂起", "烂了" },
	{ "恼火得很", "受不了" },
	{ "喊我们", "叫我们" },	/* 喊 is to tell, not to shout */
	{ "喊我", "叫我" },
	{ "来耍", "来玩" },
	{ "去耍", "去玩" },
	{ "啷个", "怎么" },
	{ "水凼凼", "水坑" },
	{ "水凼", "水坑" },
	{ "梭", "滑" },
	{ "垮", "塌" },
	/* 陕北, 西北 (northern Shaanxi, the north-west): 黑 of the night
	 * is no dark street */
	{ "一黑夜", "一整夜" },
	{ "黑地里", "夜里" },
	{ "黑里", "夜里" },
	{ "额们", "我们" },
	{ "额家", "我家" },
	{ "嫑", "不要" },
	{ "灯瞎了", "灯坏了" },
	{ "日塌了", "坏了" },
	{ "婆姨", "媳妇" },
	{ "从早到黑", "从早到晚" },
	/* not dialect, but read alike: until nightfall says when
	 * (吵到天黑), no dark street; once it is dark (一到天黑) may be */
	{ "一到天黑", "一到天黑" },
	{ "到天黑", "到晚上" },
	/* 东北话 */
	{ "咋整", "怎么办" },
	{ "埋汰", "脏" },
	{ "贼冷", "很冷" },
	{ "贼黑", "很黑" },
	{ "贼吵", "很吵" },
	{ "贼臭", "很臭" },
	{ "贼脏", "很脏" },
	{ "老鼻子", "很多" },
	{ "贼弱", "很弱" },
	{ "贼滑", "很滑" },
	{ "贼深", "很深" },
	{ "贼响", "很响" },
	{ "贼凉", "很凉" },
	{ "屯子", "村子" },
	{ "那条道", "那条路" },
	{ "这条道", "这条路" },
	{ "整宿", "整夜" },
	{ "嘎哈", "干什么" },
	/* 湘语 (Hunan) */
	{ "哒", "了" },
	{ "伢子", "孩子" },
	{ "么子", "什么" },
	{ "何解", "为什么" },
	{ "恰饭", "吃饭" },
	{ "旮旯", "角落" },
	/* 吴语 (Shanghai, Zhejiang) */
	{ "覅", "不要" },
	{ "弗", "不" },
	{ "侬", "你" },
	{ "阿拉", "我们" },
	{ "交关", "很" },
	{ "物事", "东西" },
	{ "辰光", "时候" },
	{ "落大雨", "下大雨" },
	{ "落雨", "下雨" },
	{ "脚馒头", "膝盖" },
	{ "屋里向", "屋里" },
	{ "勿", "不" },
	{ "电驴子", "电动车" },
	{ "价钿", "价钱" },
	{ "钞票", "钱" },
	{ "啥人", "谁" },
	{ "晓得", "知道" },
	{ "今朝", "今天" },
	{ "昨日", "昨天" },
	{ "掼", "摔" },
	{ "呒没", "没有" },
	{ "屋里厢", "家里" },
	{ "小囡", "孩子" },
	{ "火表", "电表" },
	{ "困觉", "睡觉" },
	{ "吵煞", "吵死" },
	{ "吓煞", "吓死" },
	{ "夜到", "晚上" },
	{ "日脚", "日子" },
	{ "伊拉", "他们" },
	/* Inner Mongolia (晋语): 年时 is last year */
	{ "年时", "去年" },
	/* 闽南话 (southern Fujian): 厝 the house, 无 no,
	 * 歹去 broken, 暗暝 the night */
	{ "厝边", "邻居" },
	{ "厝内", "家里" },
	{ "厝顶", "屋顶" },
	{ "厝", "屋" },
	{ "无电", "没电" },
	{ "无水", "没水" },
	{ "无人", "没人" },
	{ "无光", "不亮" },
	{ "无法度", "没办法" },
	{ "歹去", "坏了" },
	{ "拍歹", "弄坏" },
	{ "代志", "事情" },
	{ "暗暝", "夜里" },
	{ "暗时", "晚上" },
	{ "暗摸摸", "黑乎乎" },
	{ "乌暗", "漆黑" },
	{ "水道水", "自来水" },
	{ "水道头", "水龙头" },
	{ "囝仔", "孩子" },
	{ "囡仔", "孩子" },
	{ "眠袂去", "睡不着" },
	{ "袂", "不" },
	{ "毋", "不" },
	{ "啥物", "什么" },
	{ "按怎", "怎么" },
	{ "粪扫", "垃圾" },
	{ "粪埽", "垃圾" },
	{ "风台", "台风" },	/* 風颱 */
	{ "做大水", "发大水" },
	{ "跳电", "跳闸" },
	{ "便所", "厕所" },
	{ "讨海", "出海" },
	{ "足臭", "很臭" },
	{ "足吵", "很吵" },
	{ "足暗", "很黑" },
	{ "病院", "医院" },
	/* 甘肃, 宁夏 (兰银, 秦陇): 么 is 没, 尕 small, 阿达 where,
	 * 麻达 trouble; 黑更半夜 says when, not a dark street */
	{ "么水", "没水" },
	{ "么电", "没电" },
	{ "么人", "没人" },
	{ "么灯", "没灯" },
	{ "尕娃", "小孩" },
	{ "尕", "小" },
	{ "阿达", "哪里" },
	{ "这搭", "这里" },
	{ "那搭", "那里" },
	{ "兀搭", "那里" },
	{ "兀个", "那个" },
	{ "没麻达", "没问题" },
	{ "麻达", "问题" },
	{ "不得行", "不行" },
	{ "黑更半夜", "半夜" },
	{ "黑天半夜", "半夜" },
	/* Shandong: 夜来 is yesterday */
	{ "夜来", "昨天" },
};

/*
 * The table in look-up order: by the first character's code point, then
 * longest first, then as written (so a word that holds another is tried
 * before it, 冇得 before 冇); first_at[] is each entry's first character.
 * A bit for the first character of each word (by its low 12 bits): nearly
 * every character of a message needs no look through the table.  grow: the
 * most any replacement is longer than its word, in times.
 */
#define FIRST_BITS	4096
static uint64_t		 first_bits[FIRST_BITS / 64];
static size_t		 order[nitems(dialect)];
static uint32_t		 first_at[nitems(dialect)];
static size_t		 grow = 1;
static pthread_once_t	 first_once = PTHREAD_ONCE_INIT;

static bool
first_has(uint32_t cp)
{
	cp &= FIRST_BITS - 1;
	return (first_bits[cp / 64] >> (cp % 64) & 1) != 0;
}

static int
order_cmp(const void *a, const void *b)
{
	size_t	 i = *(const size_t *)a, j = *(const size_t *)b;
	size_t	 li = strlen(dialect[i].from), lj = strlen(dialect[j].from);

	if (first_at[i] != first_at[j])
		return first_at[i] < first_at[j] ? -1 : 1;
	if (li != lj)
		return li > lj ? -1 : 1;
	return i < j ? -1 : i > j;
}

static void
first_init(void)
{
	const char	*p;
	uint32_t	 cp;
	size_t		 i, lf, lt;

	for (i = 0; i < nitems(dialect); i++) {
		order[i] = i;
		p = dialect[i].from;
		first_at[i] = utf8_decode(&p, &cp) > 0 ? cp : 0;
		cp = first_at[i] & (FIRST_BITS - 1);
		first_bits[cp / 64] |= (uint64_t)1 << (cp % 64);
		lf = strlen(dialect[i].from);
		lt = strlen(dialect[i].to);
		if (lf > 0 && (lt + lf - 1) / lf > grow)
			grow = (lt + lf - 1) / lf;
	}
	qsort(order, nitems(order), sizeof(order[0]), order_cmp);
}

/*
 * The entry of the table whose word starts s (its first character cp),
 * the longest; nitems(dialect) when none does.  A binary search for the
 * first entry of cp, then its entries in order.
 */
static size_t
dialect_find(const char *s, uint32_t cp)
{
	size_t	 lo = 0, hi = nitems(order), mid, i;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (first_at[order[mid]] < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < nitems(order) && first_at[order[lo]] == cp; lo++) {
		i = order[lo];
		if (strncmp(s, dialect[i].from, strlen(dialect[i].from)) == 0)
			return i;
	}
	return nitems(dialect);
}

/*
 * folded with the dialect words above put into Mandarin; a new string,
 * the caller frees it.  A replacement is at most grow times as long as
 * its word (嘢: 东西, twice), so is the whole.
 */
char *
text_dialect(const char *folded)
{
	const char	*p = folded, *start;
	char		*out = NULL, *o = NULL;
	uint32_t	 cp;
	size_t		 i;
	int		 r;

	pthread_once(&first_once, first_init);
	for (;;) {
		start = p;
		if ((r = utf8_decode(&p, &cp)) == 0)
			break;
		if (r < 0) {
			p = start + 1;
			cp = 0xFFFD;
		}
		i = nitems(dialect);
		if (cp >= 0x80 && first_has(cp))
			i = dialect_find(start, cp);
		if (i == nitems(dialect)) {
			if (o != NULL) {
				memcpy(o, start, (size_t)(p - start));
				o += p - start;
			}
			continue;
		}
		if (o == NULL) {
			/* the first dialect word: the copy starts */
			o = out = xmalloc(strlen(folded) * grow + 1);
			memcpy(o, folded, (size_t)(start - folded));
			o += start - folded;
		}
		memcpy(o, dialect[i].to, strlen(dialect[i].to));
		o += strlen(dialect[i].to);
		p = start + strlen(dialect[i].from);
	}
	if (o == NULL)
		return xstrdup(folded);
	*o = '\0';
	return out;
}
