extensions = ["myst_parser", "sphinx_opsboundary"]
exclude_patterns = ["_build"]
project = "Embeds"
myst_enable_extensions = ["colon_fence"]
version = "1.0"
copyright = "2026, Embeds"
# Fictional episodes with made-up video ids.
opsboundary_episodes = {
    "yt-talk": {
        "title": "Pipelines at Night <fictional>",
        "speakers": ["Alex Example", "Sam Sample"],
        "url": "https://www.youtube.com/watch?v=Xmpl_id-001",
        "duration": "1:00:00",
    },
    "vimeo-talk": {
        "title": "Feature Stores & Friends",
        "speakers": ["Kim Fictional"],
        "url": "https://vimeo.com/76979871",
        "duration": "40:00",
    },
    "audio-talk": {
        "title": "An Audio Episode",
        "speakers": ["Pat Placeholder"],
        "url": "https://media.example.org/audio/episode.mp3",
    },
}
