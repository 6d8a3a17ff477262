"""The Chinese message catalogue (a subset of ``en.EN``; missing keys fall back to English).

Holds the command menu, /settings, sharing, inline mode and /about. The conversation's
own replies (headers, footer, help) fall back to English until their translations are
added here.
"""

from __future__ import annotations

ZH: dict[str, str] = {
    "command.start": "欢迎、示例和快速开始按钮",
    "command.help": "如何让我推荐电影",
    "command.more": "上一个请求的更多结果",
    "command.reset": "开始新的搜索",
    "command.history": "你评过分的电影",
    "command.settings": "列表长度、海报、语言",
    "command.about": "电影数据和海报的来源",
    "command.forget": "删除我关于你的所有数据（会先确认）",
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
}
