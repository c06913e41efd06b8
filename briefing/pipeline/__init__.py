"""The pipeline's stages, in the order a build runs them: per source, `clean` (furniture out),
`metadata` (title, author, date, publication), `segment` (sentences, Punkt trained on the corpus),
`features` (terms, shape, standalone quality, MinHash signatures), which `persource` runs and caches;
then for the corpus `dedupe` (same-fact pairs, republications), `themes` (relevance to each theme),
`recency` (source weights) and `rank` (the sections and key judgments, each candidate's verdict).

Each stage is pure: model objects and arrays in, model objects and arrays out, no file I/O. Reading
is `briefing.ingest`, writing `briefing.render`; `briefing.build` calls the stages in order."""
