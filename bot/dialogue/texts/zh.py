"""The Chinese message catalogue (simplified Chinese): every key of ``en.EN``, in Chinese.

Used for a user who writes Chinese (``recommender.nlp.language``). Titles stay as in the
catalog; genre names come from the Chinese lexicon (``recommender.nlp.zh.lexicon``), so
the words the bot understands and the words it shows are the same.
"""

from __future__ import annotations

from recommender.nlp.zh.lexicon import GENRE_NAMES, LANGUAGE_NAMES

ZH: dict[str, str] = {
    # -- failures and guards --
    "redis_down": "抱歉，我暂时连不上记忆库，请稍后再试。",
    "internal_error": "抱歉，我这边出了点问题。请再试一次，或者发送 /reset 重新开始。",
    "rate_limited": "你发消息太快了，我有点跟不上。请等一分钟再试。",
    "invalid_button": "这个按钮已经失效了。请发一个新的请求，我给你新的推荐。",
    "not_shown": "我只能接受对我推荐过的电影的评价。",
    "unknown_command": "我不认识命令 /{command}。\n\n{welcome}",
    # -- help --
    "welcome": (
        "你好！我是电影推荐机器人。告诉我你想看什么，比如：\n"
        "• “推荐一部评分高的科幻电影”\n"
        "• “像 Alien 那样的，但不要恐怖片”\n"
        "• “九十年代的喜剧”\n\n"
        "然后可以继续调整：“也要喜剧”加一个类型，“喜剧”换成这个类型，“不要爱情片”排除一个类型，"
        "“新一点”/“老一点”把年代往后/往前移十年，“再来几部”或“换一批”看下一页，"
        "“像第二部那样”找和第二部相似的电影，“重新开始”从头来。\n"
        "用 👍/👎 给我推荐的电影打分，下一次推荐就会考虑进去。\n"
        "命令：/more /reset /history /forget /help"
    ),
    "footer": "用 👍/👎 打分，我会记住你的口味。可以说“不要恐怖片”“也要喜剧”“新一点”“像第二部那样”，或者说“再来几部”。",
    # -- command descriptions --
    "command.start": "欢迎、示例和快速开始按钮",
    "command.help": "如何让我推荐电影",
    "command.more": "上一个请求的更多结果",
    "command.reset": "开始新的搜索",
    "command.history": "你评过分的电影",
    "command.settings": "列表长度、海报、语言",
    "command.about": "电影数据和海报的来源",
    "command.forget": "删除我关于你的所有数据（会先确认）",
    # -- list replies --
    "reset_done": "好的，重新开始——这次对话已清空。你想看什么？",
    "nothing_new": "关于{summary}，我找不到新的电影了。试着去掉一个条件，或者发送 /reset 重新开始。",
    "nothing_new.that": "这个请求",
    "header.more": "“{summary}”的更多推荐（第 {page} 页）：",
    "header.more_picks": "更多推荐（第 {page} 页）：",
    "header.refined": "已更新为“{summary}”：",
    "header.refined_plain": "再给你几部：",
    "header.found": "符合“{summary}”的推荐：",
    "header.top_picks": "为你精选：",
    "header.popular": "先看看这些热门高分电影：",
    "relaxed": "没有完全符合的结果，所以我放宽了：{constraints}。",
    "filled": "只有{n}部完全符合；后面的放宽了：{constraints}。",
    "filled.one": "只有一部完全符合；后面的放宽了：{constraints}。",
    "relaxed.separator": "；",
    "relaxed.people": "没有{people}的{constraints}电影；这些是{people}的电影。",
    "relaxed.people_separator": "和",
    "untitled_item": "第 {item_id} 项",
    # -- query summaries --
    "query.separator": " · ",
    "query.directed_by": "{people}导演",
    "query.all_genres": " + ",
    "query.any_genre": " 或 ",
    "query.list": "、",
    "query.years": "{start}–{end}年",
    "query.from_year": "{year}年及以后",
    "query.until_year": "{year}年及以前",
    "query.not_genres": "不要{genres}",
    "query.not_text": "不要关于{text}的",
    "query.not_people": "不要{people}参演的",
    "query.not_directed_by": "不要{people}导演的",
    "query.min_rating": "★ {stars}+",
    "query.highly_rated": "评分高",
    "query.hidden_gems": "冷门佳作",
    "query.max_runtime": "{minutes}分钟以内",
    "query.languages": "{names}",
    "query.not_english": "外语片",
    "query.like": "类似 {titles}",
    "query.more_titles": "{titles}及另外{n}部",
    "query.with_people": "{people} 参演",
    "query.text": "“{text}”",
    "query.sort": "{sort}优先",
    "describe.directed_by": "导演：{people}",
    "describe.with": "主演：{people}",
    "sort.newest": "最新",
    "sort.oldest": "最早",
    **{f"genre.{name}": zh for name, zh in GENRE_NAMES.items()},
    **{f"language.{code}": zh for code, zh in LANGUAGE_NAMES.items()},
    # -- buttons --
    "button.more": "再来几部",
    "button.start_over": "重新开始",
    "button.forget_yes": "是的，忘记我",
    "button.forget_cancel": "取消",
    # -- feedback and ratings --
    "feedback.duplicate": "{label} 已经记下了。",
    "feedback.disliked": "👎 记下了——不会再推荐 {label}。",
    "feedback.liked": "👍 记下了——我会找更多像 {label} 的电影。",
    "feedback.rated": "记下了：{label} {stars}★。",
    "history.empty": "你还没有给任何电影打分——用推荐下面的 👍/👎 就可以。",
    "history.title": "你的评分（{count} 部）：",
    "history.line": "{mark} {stars}★ {label}",
    "history.more": "……还有 {count} 部。",
    "forget.ask": "这会删除我知道的关于你的一切：评分、反馈记录和这次对话，而且无法恢复。确定吗？",
    "forget.expired": "这个确认已经过期了。如果想让我忘记你，请再发送一次 /forget。",
    "forget.done": "完成——你的评分、反馈和对话都已删除。随时打个招呼就能重新开始。",
    "forget.done_notice": "已删除。",
    "forget.kept": "好的，什么都没删。",
    # -- unusable input --
    "input.empty": "告诉我你想看什么——比如“推荐一部评分高的科幻电影”或者“像 Alien 那样的电影”。发送 /help 查看更多。",
    "input.binary": "这看起来是二进制数据，不是文字。请发一条普通的文字消息。",
    "input.not_text": "我只能读文字消息。告诉我你想看什么吧。",
    "input.truncated": "你的消息很长，我只读了前 {limit} 个字符。",
    # -- Telegram front end --
    "telegram.non_text": "我只能读文字。告诉我你想看什么，比如“九十年代评分高的科幻片”或者“像 Toy Story 那样的”。",
    "telegram.error": "抱歉，我这边出了点问题。请稍后再试。",
    "quick_start.0": "九十年代评分高的科幻片",
    "quick_start.1": "适合全家看的搞笑动画片",
    "quick_start.2": "像 Se7en 那样的惊悚片",
    # -- console chat --
    "console.help": "控制台按键：+2 喜欢第 2 部，-1 不喜欢第 1 部，*3 4 给第 3 部打 4 星，/1 按回答下面的第一个按钮，/quit 退出。",
    "console.no_such_button": "上一个回答里没有这一项或这个按钮。",
    # -- /settings, sharing, inline mode, /about --
    "about": (
        "我的数据来源：\n"
        "• 评分、片名、类型和标签：MovieLens，GroupLens Research（grouplens.org）。\n"
        "• 剧情、导演和演员、关键词和海报：TMDB（themoviedb.org）。本产品使用 TMDB API，"
        "但未经 TMDB 认可或认证。部分信息来自 OMDb。\n"
        "你的评分会一直保存，直到你发送 /forget。"
    ),
    "settings.menu": "你的设置 — 点按钮即可修改：\n• 每个列表的电影数（前两行）\n• 是否显示海报\n• 语言",
    "settings.posters_on": "🖼 显示海报",
    "settings.posters_off": "不显示海报",
    "settings.saved_items": "已保存：每个列表 {n} 部电影。",
    "settings.saved_posters_on": "已保存：显示海报。",
    "settings.saved_posters_off": "已保存：不显示海报。",
    "settings.saved_lang": "已保存：中文。",
    "share.button": "📤 分享这个列表",
    "share.text": "给你的电影推荐",
    "share.opened": "有人与你分享了一个列表 — {summary}：",
    "share.opened_plain": "有人与你分享了一个列表：",
    "share.bad_link": (
        "这个链接打不开我认识的列表 — 它可能被截断了，或者其中的电影已不在我的片库中。"
        "告诉我你想看什么吧。\n\n{welcome}"
    ),
    "inline.too_long": "内容太长，无法快速搜索 — 请打开与我的对话",
    "inline.unreadable": "我读不懂这段内容 — 请打开与我的对话",
    "inline.nothing": "没有找到新的结果 — 换个说法，或打开与我的对话",
    "inline.open": "🎬 在 @{bot} 中查看更多",
    # Small talk, stated opinions (issue 11) and the /forget race (issue 12).
    "busy": "同时改动太多了——请再试一次。",
    "chat.about_bot": "我很好，谢谢！我是一个电影推荐机器人，我最喜欢的电影就是你会喜欢的那部。告诉我一个类型、一部你喜欢的电影或一位演员，我来推荐看什么。",
    "chat.bye": "观影愉快——想要更多点子随时回来！",
    "chat.greeting": "你好！想看点什么？一个类型、一部你喜欢的电影、一位演员……",
    "chat.nothing": "告诉我你想看什么：一个类型、一部你喜欢的电影、一位演员……",
    "chat.praise": "很高兴能帮上忙！说“再来几部”换一批，或者细化，例如“不要恐怖”“新一点”。",
    "chat.decline": "没问题。说“再来几部”换一批，或者告诉我你更想看什么：类型、喜欢的电影、演员……",
    "chat.thanks": "不客气！说“再来几部”换一批，或者告诉我你还想看什么。",
    "chat.try": "观影愉快！看完用 👍/👎 打个分，我会记住你的口味。",
    "forgotten_meanwhile": "你在我处理这条消息时要求我忘记你，所以这条消息的内容我都没有保存。随时打个招呼就能重新开始。",
    "said.disliked": "👎 记下了：你不喜欢{titles}——我不会再推荐它。",
    "said.liked": "👍 记下了：你喜欢{titles}——我会用它来为你推荐。",
    "said.noted": "明白了。说“再来几部”换一批，或者告诉我你想看什么。",
    "said.seen": "记下了：你看过{titles}——我会把它排除。",
    "said.rejected": "按你说的，不推荐{titles}。",
    "said.liked.many": "👍 记下了：你喜欢{titles}——我会用它们来为你推荐。",
    "said.disliked.many": "👎 记下了：你不喜欢{titles}——我不会再推荐它们。",
    "said.seen.many": "记下了：你看过{titles}——我会把它们排除。",
    "said.and_more": "{titles}及另外{n}部",
    "said.unknown_film": "我还不认识电影“{title}”。",
    "said.unseen": "值得一试！看完后用 👍/👎 打个分。",
}  # fmt: skip
