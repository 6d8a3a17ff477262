"""The Chinese vocabulary: surface words -> the same Query facets the English lexicon uses.

Plain data, like ``recommender.nlp.lexicon``. Keys are simplified Chinese as typed
(after NFKC, which turns full-width digits and punctuation into ASCII). Every key is
also given to the segmenter as a user word (``segment.Segmenter``), so "浪漫喜剧" or
"评分高" come out of segmentation as one unit instead of being split.

Tables:

- ``GENRE_WORDS``: word -> catalog genres (a tuple: 浪漫喜剧 is Comedy *and* Romance).
- ``GENRE_NAMES``: catalog genre -> the Chinese name shown in replies.
- ``QUALITY_WORDS``: word -> implied minimum star rating (0.5..5 scale).
- ``RECENT_WORDS`` / ``OLD_WORDS``: recency intent inside a longer request.
- ``NEGATION_CUES``: words that open a negation scope ("不要恐怖片").
- ``POSTFIX_NEGATION``: words after a genre list that exclude it ("恐怖片除外").
- ``SCOPE_BREAKS``: words that close one ("不要恐怖片，但是要喜剧").
- ``ANY_GLUE`` / ``LIST_GLUE``: words joining genres as any-of ("或者") / one list ("和").
- ``REFERENCE_BEFORE`` / ``REFERENCE_AFTER``: words around a reference title ("像 X 那样").
- ``PERSON_AFTER``: words after a name that make it a person ("X 演的", "X 导演的").
- ``COMMAND_PHRASES``: whole-message phrase -> command name (``Command`` values).
- ``COMMAND_POLITENESS``: particles and politeness stripped around a command.
- ``ADDITIVE_CUES``: a message starting with these adds to the session ("也要喜剧").
- ``DIGITS``: Chinese numerals for ordinals, decades and counts.
- ``TOPIC_WORDS``: frequent subjects -> English words, the free text handed to the
  (English) sentence encoder, which cannot read Chinese ("太空" -> "space").
- ``FILLER_WORDS``: words that carry no request ("推荐", "一部", "电影").
"""

from __future__ import annotations

GENRE_WORDS: dict[str, tuple[str, ...]] = {
    "动作": ("Action",), "动作片": ("Action",), "武打": ("Action",), "功夫": ("Action",),
    "功夫片": ("Action",), "武侠": ("Action",), "武侠片": ("Action",),
    "冒险": ("Adventure",), "冒险片": ("Adventure",), "探险": ("Adventure",),
    "动画": ("Animation",), "动画片": ("Animation",), "动漫": ("Animation",),
    "卡通": ("Animation",), "卡通片": ("Animation",),
    "儿童": ("Children",), "儿童片": ("Children",), "家庭": ("Children",),
    "家庭片": ("Children",), "合家欢": ("Children",), "适合孩子": ("Children",),
    "适合儿童": ("Children",), "适合小孩": ("Children",), "适合全家": ("Children",),
    "孩子看": ("Children",), "小孩看": ("Children",), "亲子": ("Children",),
    "孩子": ("Children",), "小孩": ("Children",), "小朋友": ("Children",),
    "适合小朋友": ("Children",), "少儿": ("Children",), "孩子们": ("Children",),
    "喜剧": ("Comedy",), "喜剧片": ("Comedy",), "搞笑": ("Comedy",), "搞笑片": ("Comedy",),
    "好笑": ("Comedy",), "幽默": ("Comedy",),
    "浪漫喜剧": ("Comedy", "Romance"), "爱情喜剧": ("Comedy", "Romance"),
    "犯罪": ("Crime",), "犯罪片": ("Crime",), "黑帮": ("Crime",), "黑帮片": ("Crime",),
    "警匪": ("Crime",), "警匪片": ("Crime",),
    "纪录片": ("Documentary",), "纪录": ("Documentary",), "记录片": ("Documentary",),
    "剧情": ("Drama",), "剧情片": ("Drama",),
    "奇幻": ("Fantasy",), "奇幻片": ("Fantasy",), "魔幻": ("Fantasy",), "魔幻片": ("Fantasy",),
    "玄幻": ("Fantasy",),
    "黑色电影": ("Film-Noir",), "黑色片": ("Film-Noir",),
    "恐怖": ("Horror",), "恐怖片": ("Horror",), "惊悚恐怖": ("Horror",), "鬼片": ("Horror",),
    "吓人": ("Horror",), "丧尸": ("Horror",), "丧尸片": ("Horror",), "僵尸片": ("Horror",),
    "音乐剧": ("Musical",), "歌舞片": ("Musical",), "歌舞": ("Musical",),
    "悬疑": ("Mystery",), "悬疑片": ("Mystery",), "推理": ("Mystery",), "推理片": ("Mystery",),
    "侦探": ("Mystery",), "侦探片": ("Mystery",),
    "爱情": ("Romance",), "爱情片": ("Romance",), "浪漫": ("Romance",), "言情": ("Romance",),
    "科幻": ("Sci-Fi",), "科幻片": ("Sci-Fi",), "科幻电影": ("Sci-Fi",),
    "惊悚": ("Thriller",), "惊悚片": ("Thriller",), "刺激": ("Thriller",),
    "战争": ("War",), "战争片": ("War",), "二战": ("War",), "世界大战": ("War",), "军事": ("War",),
    "西部": ("Western",), "西部片": ("Western",), "牛仔": ("Western",),
}  # fmt: skip

# Shown in Chinese replies; catalog titles stay as they are.
GENRE_NAMES: dict[str, str] = {
    "Action": "动作", "Adventure": "冒险", "Animation": "动画", "Children": "儿童",
    "Comedy": "喜剧", "Crime": "犯罪", "Documentary": "纪录片", "Drama": "剧情",
    "Fantasy": "奇幻", "Film-Noir": "黑色电影", "Horror": "恐怖", "IMAX": "IMAX",
    "Musical": "音乐剧", "Mystery": "悬疑", "Romance": "爱情", "Sci-Fi": "科幻",
    "Thriller": "惊悚", "War": "战争", "Western": "西部",
}  # fmt: skip

# Film languages (``nlp.languages`` codes), shown in Chinese replies.
LANGUAGE_NAMES: dict[str, str] = {
    "fr": "法语", "es": "西班牙语", "it": "意大利语", "de": "德语", "ja": "日语", "ko": "韩语",
    "zh": "国语", "cn": "粤语", "hi": "印地语", "ru": "俄语", "sv": "瑞典语", "da": "丹麦语",
    "no": "挪威语", "nb": "挪威语", "fi": "芬兰语", "nl": "荷兰语", "pt": "葡萄牙语",
    "fa": "波斯语", "th": "泰语", "tr": "土耳其语", "pl": "波兰语", "cs": "捷克语",
    "he": "希伯来语", "ar": "阿拉伯语", "el": "希腊语", "hu": "匈牙利语", "ro": "罗马尼亚语",
    "id": "印尼语",
}  # fmt: skip

# What a film's language is called, by country or by language ("法国电影", "法语片", "港片").
LANGUAGE_WORDS: dict[str, tuple[str, ...]] = {
    "法国": ("fr",), "法语": ("fr",), "韩国": ("ko",), "韩语": ("ko",), "日本": ("ja",),
    "日语": ("ja",), "日剧": ("ja",), "西班牙": ("es",), "西班牙语": ("es",), "墨西哥": ("es",),
    "意大利": ("it",), "德国": ("de",), "德语": ("de",), "印度": ("hi",), "宝莱坞": ("hi",),
    "俄罗斯": ("ru",), "俄语": ("ru",), "瑞典": ("sv",), "丹麦": ("da",), "泰国": ("th",),
    "伊朗": ("fa",), "巴西": ("pt",), "港片": ("cn",), "粤语": ("cn",), "香港": ("cn",),
    "华语": ("zh", "cn"), "国产": ("zh", "cn"), "中国": ("zh", "cn"),
}  # fmt: skip

# Same scale as the English table: 3.8 for "highly rated", 3.5 for plain "good".
QUALITY_WORDS: dict[str, float] = {
    "评分高": 3.8, "评分高的": 3.8, "高评分": 3.8, "高分": 3.8, "评分很高": 3.8,
    "分数高": 3.8, "口碑好": 3.8, "口碑": 3.8, "好评": 3.8, "好评如潮": 3.8,
    "经典": 3.8, "经典的": 3.8, "神作": 4.0, "佳作": 3.8, "必看": 3.8,
    "最佳": 3.8, "高质量": 3.8, "优秀": 3.8, "精彩": 3.5, "好看": 3.5, "好看的": 3.5,
    "不错": 3.5, "不错的": 3.5, "好电影": 3.5, "好片": 3.5, "好片子": 3.5, "评价高": 3.8, "得奖": 3.8, "获奖": 3.8,
}  # fmt: skip

RECENT_WORDS: tuple[str, ...] = (
    "最新", "新片", "新上映", "近期", "新出的", "最近的", "新电影", "近年", "近年来", "这些年",
    "新的",
)  # fmt: skip
OLD_WORDS: tuple[str, ...] = ("老片", "老电影", "怀旧", "黑白片", "老的")

NEGATION_CUES: tuple[str, ...] = (
    "不要", "不是", "别", "除了", "不想看", "不想要", "不喜欢", "不看", "不含", "没有",
    "排除", "讨厌", "不能是", "别给我", "别推荐", "不要有", "非", "去掉", "不想", "别是",
    "不要是", "别要", "不带",
)  # fmt: skip
# After a genre list they exclude it ("恐怖片除外", "爱情片就算了").
POSTFIX_NEGATION: tuple[str, ...] = ("除外", "就算了", "算了", "免了", "不考虑", "不行", "不要了", "就不要了")  # fmt: skip
SCOPE_BREAKS: frozenset[str] = frozenset(
    {"但", "但是", "可是", "不过", "而是", "要", "想要", "想看", "只要", "就要", "可以",
     "只看", "喜欢", "最好是", "还要", "也要", "还想", "也想"}
)  # fmt: skip
# "除了喜剧还要动作" is "besides": these right after a 除了 scope make it positive.
BESIDES_CUES: tuple[str, ...] = ("还要", "也要", "还想", "也想", "还有", "还", "也")
ANY_GLUE: frozenset[str] = frozenset({"或者", "或", "或是", "还是", "要么"})
LIST_GLUE: frozenset[str] = frozenset(
    {"和", "与", "跟", "及", "、", "或者", "或", "或是", "还是", "也", "以及", "加", "以外", "之外",
     "的", "片", "电影", "类", "类型", "题材", "也不要", "也别", "和不要"}
)  # fmt: skip

REFERENCE_BEFORE: tuple[str, ...] = (
    "像",
    "类似",
    "类似于",
    "跟",
    "和",
    "喜欢",
    "看过",
    "比如",
    "好像",
    "如同",
)
REFERENCE_AFTER: tuple[str, ...] = (
    "那样",
    "这样",
    "那种",
    "这种",
    "一样",
    "类似",
    "差不多",
    "之类",
    "风格",
    "相似",
)
PERSON_AFTER: tuple[str, ...] = ("演的", "主演", "出演", "导演", "执导", "拍的", "的作品")

COMMAND_PHRASES: dict[str, str] = {
    "再来几部": "more", "再来": "more", "再来一些": "more", "再来点": "more",
    "再来一点": "more", "再推荐几部": "more", "再推荐": "more", "换一批": "more",
    "换一些": "more", "换几部": "more", "更多": "more", "下一页": "more", "还有吗": "more",
    "还有别的吗": "more", "别的": "more", "继续": "more", "多来几部": "more",
    "换新的": "more", "换几部新的": "more", "来点别的": "more", "换点别的": "more",
    "重新开始": "reset", "重来": "reset", "重置": "reset", "从头开始": "reset",
    "清空": "reset", "算了": "reset",
    "新一点": "newer", "新一点的": "newer", "更新一点": "newer", "更新一点的": "newer",
    "近一点": "newer", "要新一点的": "newer", "来点新的": "newer", "新一些": "newer",
    "老一点": "older", "老一点的": "older", "更老一点": "older", "旧一点": "older",
    "旧一点的": "older", "早一点的": "older", "老一些": "older", "要老一点的": "older",
    "帮助": "help", "怎么用": "help", "你能做什么": "help", "使用说明": "help", "菜单": "help",
    "我的评分": "history", "我的记录": "history", "历史": "history", "历史记录": "history",
    "我评过的": "history", "评分记录": "history",
    "忘记我": "forget", "删除我的数据": "forget", "清除我的数据": "forget",
    "删除我的评分": "forget",
}  # fmt: skip
# Stripped from either end of a command message, longest first ("请再来几部吧" -> 再来几部).
COMMAND_POLITENESS: tuple[str, ...] = (
    "麻烦你", "能不能", "可以", "给我", "帮我", "谢谢", "好的", "请", "吧", "呢", "啊",
    "呀", "嘛", "了", "好", "再", "的",
)  # fmt: skip

ADDITIVE_CUES: tuple[str, ...] = ("也要", "还要", "再加上", "加上", "再加", "另外", "同时", "也")

DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
    "七": 7, "八": 8, "九": 9, "十": 10,
}  # fmt: skip

TOPIC_WORDS: dict[str, str] = {
    "太空": "space", "宇宙": "space universe", "外星人": "aliens", "外星": "aliens",
    "机器人": "robots", "人工智能": "artificial intelligence", "时间旅行": "time travel",
    "穿越": "time travel", "超级英雄": "superhero", "英雄": "hero", "僵尸": "zombies",
    "吸血鬼": "vampires", "鬼": "ghost", "鬼屋": "haunted house", "鲨鱼": "shark",
    "恐龙": "dinosaurs", "魔法": "magic", "巫师": "wizard", "龙": "dragon", "间谍": "spy",
    "特工": "secret agent spy", "赛车": "car racing", "拳击": "boxing", "足球": "soccer",
    "篮球": "basketball", "体育": "sports", "监狱": "prison", "越狱": "prison escape",
    "海盗": "pirates", "黑客": "hacker", "末日": "apocalypse", "灾难": "disaster",
    "友情": "friendship", "复仇": "revenge", "公路": "road trip", "音乐": "music",
    "狗": "dog", "猫": "cat", "动物": "animals", "圣诞": "christmas", "圣诞节": "christmas",
    "校园": "high school", "高中": "high school", "大学": "college", "婚礼": "wedding",
    "梦境": "dreams", "梦": "dreams", "抢劫": "heist robbery", "警察": "police",
    "律师": "lawyer courtroom", "法庭": "courtroom", "医生": "doctor", "政治": "politics",
    "历史": "history", "传记": "biography", "真实事件": "true story", "真实故事": "true story",
    "小说改编": "based on novel", "纽约": "new york", "巴黎": "paris", "日本": "japan",
    "中国": "china", "香港": "hong kong", "海洋": "ocean sea", "大海": "ocean sea",
    "沙漠": "desert", "丛林": "jungle", "火星": "mars", "月球": "moon", "潜艇": "submarine",
    "飞机": "airplane", "火车": "train", "黑手党": "mafia", "连环杀手": "serial killer",
    "杀手": "hitman assassin", "武士": "samurai", "忍者": "ninja", "骑士": "knight",
}  # fmt: skip

FILLER_WORDS: frozenset[str] = frozenset(
    {"推荐", "一部", "几部", "电影", "影片", "片子", "部", "的", "我", "想", "看", "要",
     "给", "给我", "请", "一下", "一些", "有", "没有", "吗", "呢", "吧", "啊", "什么",
     "好", "来", "点", "个", "一个", "找", "帮我", "想看", "有没有", "能", "可以", "最近"}
)  # fmt: skip


def user_words() -> list[str]:
    """Every multi-character lexicon word, for the segmenter's user dictionary."""
    tables = (GENRE_WORDS, QUALITY_WORDS, COMMAND_PHRASES, TOPIC_WORDS)
    words = {w for table in tables for w in table}
    words.update(
        RECENT_WORDS, OLD_WORDS, NEGATION_CUES, POSTFIX_NEGATION, REFERENCE_AFTER, PERSON_AFTER
    )
    return sorted(w for w in words if len(w) > 1)
