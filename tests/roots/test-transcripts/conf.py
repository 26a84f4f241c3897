# Transcripts and chapters (SPEC §6): invented episodes, each with its own files.
extensions = ["sphinx_opsboundary", "myst_parser"]
project = "transcripts"
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence"]
opsboundary_episodes = {
    "incident-talk": {
        "title": "Incident Review Live",
        "speakers": ["Ada Brook", "Ben Ortiz"],
        "url": "https://example.org/irl/7.mp3",
        "transcript": "talk.vtt",
        "chapters": "talk-chapters.json",
    },
    "solo": {"title": "Solo Notes", "speakers": ["Cleo Park"], "transcript": "solo.srt"},
    "shifts": {
        "title": "Data Shifts",
        "speakers": ["Dee Lane", "Eli Moss"],
        "transcript": "show.json",
    },
    "chapters-only": {
        "title": "Chapters Only",
        "speakers": ["Fay Hill"],
        "chapters": "only-chapters.json",
    },
    "broken-vtt": {"title": "Broken VTT", "speakers": ["Gus"], "transcript": "broken.vtt"},
    "latin1": {"title": "Latin One", "speakers": ["Hal"], "transcript": "latin1.vtt"},
    "backwards": {"title": "Backwards", "speakers": ["Ida"], "transcript": "backwards.srt"},
    "badshape": {"title": "Bad Shape", "speakers": ["Jo"], "transcript": "badshape.json"},
    "badchapters": {"title": "Bad Chapters", "speakers": ["Kim"], "chapters": "badchapters.json"},
    "missing": {"title": "Missing", "speakers": ["Lu"], "transcript": "nowhere.vtt"},
}
