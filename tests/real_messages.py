"""Messages as people really write them (multi-sentence, mentions with feelings,
pronouns, small talk, time expressions), each with the Query it must give.

Keys of an expectation (only the keys given are checked):
``genres`` (all of them wanted, as genres_all + genres_any), ``none`` (genres_none),
``years`` ((year_min, year_max)), ``refs`` / ``liked`` / ``disliked`` / ``seen`` /
``unseen`` / ``asked`` (catalog labels "Title (Year)"), ``pronoun``, ``small_talk``,
``ordinal``, ``command``, ``people``, ``no_text`` (True: nothing left as free text).
Titles are ml-latest-small's. The catalog's latest year is 2018.
"""

from __future__ import annotations

NOT_OLD = (2004, None)  # "not too old": the catalog's last 15 years

CASES: list[tuple[str, dict]] = [
    # --- the examples of issue 11
    ("i watched Click (2006) and i liked it", {"liked": ["Click (2006)"], "years": (None, None), "refs": [], "no_text": True}),
    ("I have seen American Pie (1999)", {"seen": ["American Pie (1999)"], "refs": [], "liked": [], "no_text": True}),
    ("Is that a great one? I have never seen it", {"pronoun": "unseen", "refs": [], "no_text": True}),
    ("Awesome.", {"small_talk": ["praise"], "refs": [], "no_text": True}),
    ("Hello! wonderful!", {"small_talk": ["greeting", "praise"], "refs": [], "no_text": True}),
    ("i have not seen it i think i will try", {"pronoun": "unseen", "refs": [], "no_text": True}),
    ("I dont think the kids would be interested in a movie that old", {"genres": ["Children"], "years": NOT_OLD}),
    ("comedy, nothing older than 2005", {"genres": ["Comedy"], "years": (2005, None)}),
    ("maybe Men in Black (1997)", {"refs": ["Men in Black (1997)"], "years": (None, None)}),
    ("Spider-Man: Homecoming (2017", {"years": (None, None), "refs": []}),
    ("like the last one", {"ordinal": -1}),
    # --- mentions with feelings, anywhere in the message
    ("Hi I am looking for a movie like Super Troopers (2001)", {"refs": ["Super Troopers (2001)"], "small_talk": ["greeting"], "years": (None, None)}),
    ("I really liked the movie Annabelle (2014)", {"liked": ["Annabelle (2014)"], "no_text": True}),
    ("I liked Click but hated Grown Ups (2010)", {"liked": ["Click (2006)"], "disliked": ["Grown Ups (2010)"]}),
    ("Have you seen The Dark Knight?", {"asked": ["The Dark Knight (2008)"], "refs": []}),
    ("I love horror movies like Annabelle (2014) and The Conjuring (2013)", {"genres": ["Horror"], "refs": ["Annabelle (2014)", "The Conjuring (2013)"]}),
    ("I'm in the mood for a scary movie. I loved It (2017)", {"genres": ["Horror"], "liked": ["It (2017)"]}),
    ("I haven't seen Titanic (1997) but I heard it's good", {"unseen": ["Titanic (1997)"], "liked": []}),
    ("I didn't like Titanic (1997)", {"disliked": ["Titanic (1997)"], "refs": []}),
    ("My favorite movie is The Shawshank Redemption (1994)", {"liked": ["The Shawshank Redemption (1994)"]}),
    ("I watched Inception (2010) last week and loved it", {"liked": ["Inception (2010)"], "years": (None, None)}),
    ("Something like The Notebook (2004), I love romantic movies", {"refs": ["The Notebook (2004)"], "genres": ["Romance"]}),
    ("What about Wonder Woman (2017)?", {"refs": ["Wonder Woman (2017)"]}),
    ("Have you seen Get Out (2017)? I loved it", {"liked": ["Get Out (2017)"]}),
    ("I've already seen The Hangover (2009) and Superbad (2007)", {"seen": ["The Hangover (2009)", "Superbad (2007)"]}),
    ("i love the dark knight", {"liked": ["The Dark Knight (2008)"]}),
    ("Jurasic Park (1993) was great, something similar?", {"liked": ["Jurassic Park (1993)"]}),
    ("I loved Toy Story (1995), something for kids", {"liked": ["Toy Story (1995)"], "genres": ["Children"]}),
    ("I enjoyed The Matrix (1999) and The Matrix Reloaded (2003)", {"liked": ["The Matrix (1999)", "The Matrix Reloaded (2003)"]}),
    ("Is Titanic (1997) any good?", {"asked": ["Titanic (1997)"], "liked": []}),
    ("I saw Avatar (2009) in theaters, it was amazing", {"liked": ["Avatar (2009)"], "seen": []}),
    ("I never watched Star Wars (1977)", {"unseen": ["Star Wars: Episode IV - A New Hope (1977)"]}),
    ("I loved Inception and Interstellar", {"liked": ["Inception (2010)", "Interstellar (2014)"]}),
    ("When I was younger I really enjoyed A Nightmare on Elm Street (1984). I also enjoyed The Last House on the Left (1972)",
     {"liked": ["A Nightmare on Elm Street (1984)", "The Last House on the Left (1972)"], "years": (None, None)}),
    # --- pronouns: the last movie mentioned or shown, never the film "It"
    ("what is it about?", {"pronoun": "asked", "refs": [], "no_text": True}),
    ("what is the second one about?", {"pronoun": "asked", "ordinal": 1, "no_text": True}),
    ("I loved the last one", {"pronoun": "liked", "ordinal": -1, "no_text": True}),
    ("something by Christopher Nolan", {"refs": [], "notes": []}),
    ("I loved it", {"pronoun": "liked", "refs": []}),
    ("I have seen it", {"pronoun": "seen", "refs": []}),
    ("Yes I have seen that one, it was boring", {"pronoun": "disliked", "refs": []}),
    ("more like that one", {"pronoun": "reference", "refs": []}),
    ("Hi, I love comedies like super troopers. Do you know of any others like it?",
     {"genres": ["Comedy"], "refs": ["Super Troopers (2001)"]}),
    ("Or Yes (2004)", {"years": (None, None)}),
    ("It wasnt as good as the others.", {"pronoun": "disliked"}),
    # --- what a message rejects is left out, never searched for
    ("I hate gore", {"avoid_text": "gore", "no_text": True}),
    ("mainly thrillers but I can't stand gore", {"genres": ["Thriller"], "avoid_text": "gore", "no_text": True}),
    ("a horror movie without zombies", {"genres": ["Horror"], "none": [], "avoid_text": "zombies", "no_text": True}),
    ("I didnt like the scary ones.", {"none": ["Horror"], "no_text": True}),
    ("Mostly comedy", {"genres": ["Comedy"], "no_text": True}),
    ("Do you know any good action movies?", {"genres": ["Action"], "quality": False, "no_text": True}),
    ("my fave is action", {"genres": ["Action"], "no_text": True}),
    # --- small talk: a short answer, never a title search
    ("Thanks for the suggestions.", {"small_talk": ["thanks"], "no_text": True}),
    ("thanks goodbye", {"small_talk": ["thanks", "bye"], "no_text": True}),
    ("I appreciate your time. I will need to check those out. Are there any others you would recommend?",
     {"small_talk": ["thanks", "try", "more"], "refs": [], "no_text": True}),
    ("ok", {"small_talk": ["praise"], "no_text": True}),
    ("lol", {"small_talk": ["praise"], "no_text": True}),
    ("How are you?", {"small_talk": ["about_bot"], "no_text": True}),
    ("Are you a bot?", {"small_talk": ["about_bot"], "no_text": True}),
    ("I will definitely check it out", {"small_talk": ["try"], "refs": [], "no_text": True}),
    ("Sounds good, I'll add it to my list", {"small_talk": ["praise", "try"], "refs": [], "no_text": True}),
    ("What else do you have?", {"small_talk": ["more"], "no_text": True}),
    ("Any other suggestions?", {"small_talk": ["more"], "no_text": True}),
    ("I'll try it, thanks!", {"small_talk": ["try", "thanks"], "refs": [], "no_text": True}),
    ("Good morning! I'm looking for a thriller", {"genres": ["Thriller"], "small_talk": ["greeting"]}),
    ("Hey there, any action movies from the 90s?", {"genres": ["Action"], "years": (1990, 1999)}),
    # --- time expressions in every direction
    ("Do you have any comedies from the last 10 years?", {"genres": ["Comedy"], "years": (2009, None)}),
    ("a family movie, not too old", {"genres": ["Children"], "years": NOT_OLD}),
    ("not before 1990 please, action", {"genres": ["Action"], "years": (1990, None)}),
    ("sci-fi newer than 2010", {"genres": ["Sci-Fi"], "years": (2011, None)}),
    ("westerns after 1960", {"genres": ["Western"], "years": (1961, None)}),
    ("anything from the past few years?", {"years": (2014, None)}),
    ("I like comedies, but nothing too old", {"genres": ["Comedy"], "years": NOT_OLD}),
    ("I prefer movies from the 80s", {"years": (1980, 1989)}),
    ("a drama, nothing after 1980", {"genres": ["Drama"], "years": (None, 1980)}),
    ("horror but not older than 2000", {"genres": ["Horror"], "years": (2000, None)}),
    # --- refinements and requests in chatty wording
    ("no horror please", {"none": ["Horror"]}),
    ("newer", {"command": "newer"}),
    ("more like the second one", {"ordinal": 1}),
    ("Hmm, not really into romance", {"none": ["Romance"]}),
    ("Can you recommend a good drama?", {"genres": ["Drama"]}),
    ("something for my kids", {"genres": ["Children"]}),
]  # fmt: skip
