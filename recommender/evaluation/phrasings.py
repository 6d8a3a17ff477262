"""Requests used to measure constraint precision in ``recbot eval dialogue``.

Each entry is a message a user might type and the catalog genres it clearly names
(``expect``): the evaluation reports how often the parsed query carries those genres
(parse agreement) and, separately, the share of returned items that satisfy whatever
constraints were parsed (constraint precision). Nothing here is an expected answer list.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Phrasing:
    text: str
    expect: tuple[str, ...] = ()  # catalog genres the message clearly asks for
    expect_years: bool = False  # it names a year window
    expect_rating: bool = False  # it names a quality level


P = Phrasing

PHRASINGS: tuple[Phrasing, ...] = (
    P("sci-fi movies from the 80s", ("Sci-Fi",), expect_years=True),
    P("comedies", ("Comedy",)),
    P("some horror films please", ("Horror",)),
    P("a good thriller", ("Thriller",)),
    P("animated movies for kids", ("Animation",)),
    P("romantic comedies", ("Comedy", "Romance")),
    P("a romcom from the 90s", ("Comedy", "Romance"), expect_years=True),
    P("documentaries", ("Documentary",)),
    P("war movies", ("War",)),
    P("westerns before 1970", ("Western",), expect_years=True),
    P("crime dramas", ("Crime", "Drama")),
    P("action movies after 2010", ("Action",), expect_years=True),
    P("highly rated dramas", ("Drama",), expect_rating=True),
    P("best sci-fi of all time", ("Sci-Fi",), expect_rating=True),
    P("fantasy films", ("Fantasy",)),
    P("musicals", ("Musical",)),
    P("a mystery movie", ("Mystery",)),
    P("film noir", ("Film-Noir",)),
    P("something scary", ("Horror",)),
    P("funny movies", ("Comedy",)),
    P("comedy but no romance", ("Comedy",)),
    P("horror without comedy", ("Horror",)),
    P("sci-fi, not horror", ("Sci-Fi",)),
    P("dramas from the nineties", ("Drama",), expect_years=True),
    P("thrillers between 1995 and 2005", ("Thriller",), expect_years=True),
    P("adventure movies from the 2000s", ("Adventure",), expect_years=True),
    P("a cartoon", ("Animation",)),
    P("family movies", ("Children",)),
    P("recent action movies", ("Action",), expect_years=True),
    P("old westerns", ("Western",), expect_years=True),
    P("classic film noir", ("Film-Noir",), expect_years=True),
    P("top rated war films", ("War",), expect_rating=True),
    P("crime movies rated above 4", ("Crime",), expect_rating=True),
    P("horror from 1980", ("Horror",), expect_years=True),
    P("scifi", ("Sci-Fi",)),
    P("science fiction movies", ("Sci-Fi",)),
    P("action and adventure", ("Action", "Adventure")),
    P("a comedy from the 2010s", ("Comedy",), expect_years=True),
    P("dramas but not war", ("Drama",)),
    P("anything but comedy", ()),
    P("no horror please", ()),
    P("fantasy without animation", ("Fantasy",)),
    P("thriller movies after 2000", ("Thriller",), expect_years=True),
    P("mysteries from the 70s", ("Mystery",), expect_years=True),
    P("animated movies from the 90s", ("Animation",), expect_years=True),
    P("a documentary about music", ("Documentary",)),
    P("sci fi action", ("Sci-Fi", "Action")),
    P("romance movies", ("Romance",)),
    P("a highly rated comedy", ("Comedy",), expect_rating=True),
    P("gangster movies", ("Crime",)),
    P("war dramas from the 60s", ("War", "Drama"), expect_years=True),
    P("kids movies that are not animated", ("Children",)),
    P("horror comedies", ("Horror", "Comedy")),
    P("westerns", ("Western",)),
    P("spooky movies from the 2000s", ("Horror",), expect_years=True),
    P("musicals before 1960", ("Musical",), expect_years=True),
    P("Action movies", ("Action",)),
    P("COMEDY", ("Comedy",)),
    P("i want a crime thriller", ("Crime", "Thriller")),
    P("recommend me a good sci-fi movie from the 90s", ("Sci-Fi",), expect_years=True),
)
