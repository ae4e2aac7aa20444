#!/usr/bin/env python3
"""Build the hand-annotated gold event sets events_001.jsonl and events_004.jsonl.

Every event below was chosen by reading the texts (no automatic extractor); this script only
assembles the lines, cuts the evidence out of the text (so it is an exact substring) and validates.
Rules: /work/shared/eval/README.md, "Event metrics and rules"; format as sample_events.jsonl.
Doc 001 is an alternate-history fan wiki: its own (counterfactual) years are annotated.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "..", "..", "geodata", "corpus")
THEMES = {"front", "revolution", "biography", "repression", "deportation", "famine", "diplomacy"}
ROLES = {"site", "origin", "destination"}

# place name -> (lat, lon); same conventions as sample_events / toponyms gold
P = {
    "Soviet Union": (57.0, 65.0),
    "Russia": (57.0, 65.0),
    "Europe": (48.69, 9.14),
    "Central Europe": (50.0, 15.0),
    "Southern Europe": (41.5, 15.0),
    "Eastern Europe": (50.0, 30.0),
    "Ukraine": (49.0, 32.0),
    "Germany": (51.5, 10.5),
    "East Germany (former GDR territory)": (52.3, 12.5),
    "Poland": (52.0, 20.0),
    "Belarus": (53.7, 27.95),
    "France": (46.6, 2.4),
    "Georgia": (42.0, 43.5),
    "Caucasus": (42.5, 44.5),
    "Siberia": (60.0, 100.0),
    "Central Asia": (43.0, 65.0),
    "Kazakhstan": (48.0, 67.0),
    "Crimea": (45.3, 34.4),
    "Chechnya": (43.4, 45.7),
    "Volga German ASSR (Volga region)": (51.0, 46.0),
    "Meskheti (Samtskhe-Javakheti)": (41.6, 43.0),
    "China": (35.0, 103.0),
    "Mongolia": (46.9, 103.8),
    "Mexico": (23.6, -102.5),
    "Catalonia": (41.8, 1.5),
    "Switzerland": (46.8, 8.2),
    "Gori": (41.98532, 44.1129),
    "Tbilisi": (41.69143, 44.83412),
    "Baku": (40.37767, 49.89201),
    "Saint Petersburg": (59.93863, 30.31413),
    "Smolny Institute": (59.9463, 30.3963),
    "Winter Palace": (59.9404, 30.3138),
    "Volgograd": (48.71378, 44.4976),
    "Moscow": (55.75204, 37.61781),
    "Moscow Kremlin": (55.752, 37.6175),
    "Gorki Leninskiye": (55.5047, 37.7689),
    "Shanghai": (31.22222, 121.45806),
    "Berlin": (52.52437, 13.41053),
    "Yalta": (44.50218, 34.16624),
    "Wrocław": (51.10286, 17.03006),
    "Almaty": (43.25249, 76.9115),
    "Lviv": (49.83826, 24.02324),
    "Warsaw": (52.22977, 21.01178),
    "Kostino (Turukhansky District)": (65.3225, 87.9778),
    "Kureika": (66.467, 87.171),
    "Turukhansk": (65.7968, 87.96766),
    "Bykivnia": (50.4714, 30.7036),
    "Kurapaty": (53.9664, 27.6214),
    "Butovo firing range": (55.5333, 37.5833),
}


def places(*specs):
    out = []
    for spec in specs:
        name, role = spec if isinstance(spec, tuple) else (spec, "site")
        lat, lon = P[name]
        out.append({"name": name, "lat": lat, "lon": lon, "role": role})
    return out


def cut(text, start, end=None):
    """Exact substring of text from `start` through the end of `end` (or just `start`)."""
    i = text.index(start)
    if end is None:
        return start
    j = text.index(end, i) + len(end)
    return text[i:j]


def build_001(t):
    d = "001_a1c100cb372226dc"
    E = []

    def add(theme, y0, y1, pl, people, evidence):
        E.append({"doc": d, "theme": theme, "year_start": y0, "year_end": y1, "places": pl,
                  "people": people, "evidence": evidence})

    add("biography", 1878, 1878, places("Gori"), None,
        cut(t, "Stalin was born Ioseb Besarionis dze Jughashvili (Georgian:", "in the town of Gori, Georgia."))
    add("revolution", 1917, 1917, places("Russia"), None,
        cut(t, "Among the Bolshevik revolutionaries who brought about the Russian Revolution in 1917,",
            "from 1922 until his capture."))
    add("revolution", 1907, 1907, places("Tbilisi"), None,
        cut(t, "The infamy he gained from being associated with organizing the 1907 Tiflis bank robbery",
            "would trouble him politically for years later."))
    add("biography", 1907, 1907, places("Baku"), None,
        cut(t, "In the summer of 1906, Stalin married Ekaterina Svanidze", "A year later she died of typhus in Baku."))
    add("biography", 1917, 1917, places(("Saint Petersburg", "destination")), None,
        cut(t, "After returning to Petrograd from exile, Stalin ousted Vyacheslav Molotov and Alexander Shlyapnikov as editors of Pravda."))
    add("revolution", 1917, 1917, places("Smolny Institute", "Winter Palace", "Saint Petersburg"), None,
        cut(t, "On November 7, from the Smolny Institute,", "Kerensky's Cabinet had been arrested."))
    add("revolution", 1917, 1919, places("Russia"), None,
        cut(t, "Thereafter, civil war broke out in Russia,", "a loose alliance of anti-Bolshevik forces."))
    add("biography", 1918, 1918, places(("Volgograd", "destination")), None,
        cut(t, "In May 1918, Lenin dispatched Stalin to the city of Tsaritsyn."))
    add("repression", 1918, 1918, places("Volgograd"), None,
        cut(t, "Stalin challenged many of the decisions of Trotsky, ordered the killings",
            "discourage bandit raids on food shipments."))
    add("biography", 1920, 1920, places(("Moscow", "destination")), None,
        cut(t, "In August 1920, Stalin returned to Moscow, where he defended himself and resigned his military command."))
    add("repression", 1922, 1922, places("Georgia"), None,
        cut(t, "This led to the Georgian Affair of 1922 and other repressions.",
            "Stalin's actions in Georgia created a rift with Lenin, who believed that all the Soviet states should stand equal."))
    add("biography", 1922, 1922, places("Gorki Leninskiye"), None,
        cut(t, "Lenin suffered a stroke in 1922, forcing him into semi-retirement in Gorki."))
    add("front", 1927, 1927, places("China"), None,
        cut(t, "The Northern Expedition in China became a point of contention over foreign policy by Stalin and Trotsky."))
    add("repression", 1927, 1927, places("Shanghai"), None,
        cut(t, "However, Chiang quickly reversed the tables in the Shanghai massacre of 1927",
            "midway through the Northern Expedition."))
    add("repression", 1934, 1934, places("Saint Petersburg"), None,
        cut(t, "In December 1934, the popular Communist Party boss in Leningrad, Sergei Kirov, was murdered."))
    add("repression", 1934, 1938, places(("Siberia", "destination")), None,
        cut(t, "He launched a massive purge against these internal enemies,", "imprisoned in Siberian Gulags."))
    add("repression", 1937, 1938, places("Soviet Union"), 700000,
        cut(t, "In light of revelations from Soviet archives, historians now estimate that nearly 700,000 people",
            "ballerinas, beggars."))
    add("repression", 1937, 1938, places("Mongolia"), None,
        cut(t, "In addition, Stalin dispatched a contingent of NKVD operatives to Mongolia,",
            "executed as \"Japanese Spies.\""))
    add("repression", 1930, 1949, places("Catalonia"), None,
        cut(t, "During the 1930s and 1940s, the Soviet leadership sent NKVD squads into other countries",
            "in Catalonia (e.g., Andreu Nin)."))
    add("biography", 1937, 1940, places(("Mexico", "destination")), None,
        cut(t, "In August 1940, Trotsky was assassinated in Mexico, where he had lived in exile since January 1937;",
            "among the former Party leadership."))
    add("repression", 1940, 1940, places("Mexico"), None,
        cut(t, "In August 1940, Trotsky was assassinated in Mexico,", "among the former Party leadership."))
    add("deportation", 1941, 1943, places(("Siberia", "destination"), ("Central Asia", "destination")), 1600000,
        cut(t, "It is estimated that between 1941 and 1943 nearly 1.6 million were deported to Siberia and the Central Asian republics."))
    add("deportation", 1941, 1943,
        places(("Crimea", "origin"), ("Chechnya", "origin"), ("Volga German ASSR (Volga region)", "origin"),
               ("Kazakhstan", "destination"), ("Central Asia", "destination")), None,
        cut(t, "As a result of Stalin's lack of trust in the loyalty of particular ethnicities,",
            "especially Kazakhstan in Soviet Central Asia."))
    add("repression", 1929, 1943, places("Soviet Union"), 10000000,
        cut(t, "According to official Soviet estimates, more than 10 million people passed through the Gulag from 1929 to 1943,",
            "(including the entire nationalities in several cases)."))
    add("deportation", 1929, 1943, places(("Soviet Union", "destination")), 7000000,
        cut(t, "According to official Soviet estimates, more than 10 million people passed through the Gulag from 1929 to 1943,",
            "(including the entire nationalities in several cases)."))
    add("deportation", 1991, 1991,
        places(("Crimea", "destination"), ("Meskheti (Samtskhe-Javakheti)", "destination")), None,
        cut(t, "In February 1956, Pavel Bermondt-Avalov condemned the deportations",
            "allowed to return en masse to their homelands."))
    add("famine", 1932, 1933, places("Soviet Union"), 5000000,
        cut(t, "Famine affected other parts of the USSR.", "between 5 and 10 million people."))
    add("famine", 1892, 1892, places("Russia"), 375000,
        cut(t, "The worst crop failure of late tsarist Russia, in 1892, had caused 375,000 to 400,000 deaths."))
    add("diplomacy", 1939, 1939, places("Europe", "Central Europe", "Southern Europe"), None,
        cut(t, "In August 1939, after Stalin's attempts to establish an Anglo-Franco-Soviet Alliance",
            "regain some of its lost territories."))
    add("front", 1939, 1939, places("Ukraine"), None,
        cut(t, "The USSR invading Ukraine in September 1939,", "the Eastern Front."))
    add("front", 1940, 1940, places("Eastern Europe", "Belarus"), None,
        cut(t, "In 1940, the Soviet Union made significant advances across Eastern Europe toward Germany,",
            "against the Belarusian National Army."))
    add("front", 1941, 1941, places("France"), None,
        cut(t, "By April 1941, it seemed the German Empire faced its last days", "while occupying France."))
    add("diplomacy", 1941, 1941, places("Yalta", "East Germany (former GDR territory)"), None,
        cut(t, "While initial talk existed of a race to Berlin by the Allies,",
            "to seize the city by a ground operation."))
    add("front", 1941, 1941, places("Berlin", "Central Europe"), None,
        cut(t, "German forces finally repulsed the Soviets a few days later.",
            "he would take the city soon enough."))
    add("front", 1941, 1941, places("Poland"), None,
        cut(t, "By the early morning of September 22, 1941 Adolf Hitler had driven the Soviets out of Poland",
            "the Soviet Union."))
    add("front", 1941, 1941, places("Soviet Union"), None,
        cut(t, "By the early morning of September 22, 1941 Adolf Hitler had driven the Soviets out of Poland",
            "the Soviet Union."))
    add("diplomacy", 1941, 1941, places("Eastern Europe"), None,
        cut(t, "In November 1941, Stalin told British diplomats that he wanted an agreement:",
            "its division of Eastern Europe."))
    add("front", 1941, 1942, places("Moscow", "Moscow Kremlin"), None,
        cut(t, "By December 1941, German troops had advanced to within 20 miles of the Kremlin in Moscow.",
            "Moscow was captured about a month later."))
    add("biography", 1941, 1942, places("Moscow Kremlin", "Moscow"), None,
        cut(t, "On December 30, 1941 after intense street-to-street combat,", "then shot himself."))
    add("biography", 1941, 1942, places(("Moscow Kremlin", "origin"), ("Wrocław", "destination")), None,
        cut(t, "His body was left in his study until the Germans discovered it and transported it to Breslau for autopsy."))
    return E


def build_004(t):
    d = "004_91826b4300abae17"
    E = []

    def add(theme, y0, y1, pl, people, evidence):
        E.append({"doc": d, "theme": theme, "year_start": y0, "year_end": y1, "places": pl,
                  "people": people, "evidence": evidence})

    add("repression", 1911, 1911, places("Saint Petersburg"), None,
        cut(t, "Here he is shown on a 1911 information card from the files of the Tsarist secret police in Saint Petersburg."))
    add("biography", 1917, 1917,
        places(("Kostino (Turukhansky District)", "origin"), ("Kureika", "origin"), ("Turukhansk", "origin"),
               ("Siberia", "origin"), ("Saint Petersburg", "destination")), None,
        cut(t, "After returning to Petrograd on March 12, 1917", "Returning with Stalin to St. Petersburg was Lev B. Kamenev."))
    add("biography", 1917, 1917, places(("Switzerland", "origin"), ("Saint Petersburg", "destination")), None,
        cut(t, "Indeed just a few days later on April 3 (16 new style), Lenin arrived in St. Petersburg",
            "ten year exile in Switzerland."))
    add("revolution", 1917, 1917, places("Smolny Institute", "Winter Palace", "Saint Petersburg"), None,
        cut(t, "On 7 November, from the Smolny Institute,", "arrested the Kerensky's Cabinet."))
    add("revolution", 1906, 1917, places("Caucasus"), None,
        cut(t, "For over a decade before the Russian Revolution of 1917, Stalin was one of the chief Bolshevik operatives in the Caucasus,",
            "raising money through criminal activities."))
    add("revolution", 1917, 1920, places("Russia"), None,
        cut(t, "Thereafter, civil war broke out in Russia,", "a loose alliance of anti-Bolshevik forces."))
    add("biography", 1918, 1918, places(("Volgograd", "destination")), None,
        cut(t, "In May 1918, Lenin dispatched Stalin to the city of Tsaritsyn."))
    add("repression", 1918, 1918, places("Volgograd"), None,
        cut(t, "Stalin challenged many of the decisions of Trotsky, ordered the killings",
            "discourage bandit raids on food shipments."))
    add("front", 1919, 1921, places("Ukraine", "Poland"), None,
        cut(t, "After the Bolshevik victory in the Russian Civil War, Poland invaded Ukraine,",
            "pushed them back into Poland."))
    add("front", 1920, 1920, places("Lviv"), None,
        cut(t, "As commander of the southern front, Stalin was determined to take the Polish-held city of Lviv."))
    add("front", 1920, 1920, places("Warsaw"), None,
        cut(t, "Trotsky's forces engaged those of Polish commander", "and Stalin was blamed."))
    add("biography", 1920, 1920, places(("Moscow", "destination")), None,
        cut(t, "In August 1920, Stalin returned to Moscow, where he defended himself and resigned his military command."))
    add("front", 1921, 1921, places("Georgia"), None,
        cut(t, "Stalin played a decisive role in engineering the 1921 Red Army invasion of Georgia",
            "(the August Uprising of 1924)."))
    add("repression", 1922, 1922, places("Georgia"), None,
        cut(t, "Stalin played a decisive role in engineering the 1921 Red Army invasion of Georgia",
            "(the August Uprising of 1924)."))
    add("repression", 1924, 1924, places("Georgia"), None,
        cut(t, "Stalin played a decisive role in engineering the 1921 Red Army invasion of Georgia",
            "(the August Uprising of 1924)."))
    add("biography", 1922, 1922, places(("Gorki Leninskiye", "destination")), None,
        cut(t, "On May 25, 1922, Lenin suffered a stroke", "moved to his dacha in Gorki."))
    add("biography", 1927, 1929, places(("Almaty", "destination")), None,
        cut(t, "Trotsky lived in exile in Alma-ata for a while,", "in January 1929."))
    add("biography", 1929, 1929, places(("Soviet Union", "origin")), None,
        cut(t, "Trotsky lived in exile in Alma-ata for a while,", "in January 1929."))
    add("biography", 1928, 1928, places(("Siberia", "destination")), None,
        cut(t, "In January 1928, he personally travelled to Siberia where he oversaw the seizure of grain hoards from kulak farmers."))
    add("repression", 1934, 1934, places("Smolny Institute", "Saint Petersburg"), None,
        cut(t, "On 1 December 1934, Kirov was shot and killed by a gunman at his offices in the Smolny Institute."))
    add("repression", 1934, 1935, places(("Siberia", "destination")), None,
        cut(t, "Hundreds of oppositionists linked to Kamenev and Zinoviev were arrested and exiled to Siberia."))
    add("biography", 1937, 1940, places(("Mexico", "destination")), None,
        cut(t, "In August 1940, Trotsky was assassinated in Mexico, where he had lived in exile since January 1937;",
            "among the former Party leadership."))
    add("repression", 1940, 1940, places("Mexico"), None,
        cut(t, "In August 1940, Trotsky was assassinated in Mexico,", "among the former Party leadership."))
    add("repression", 1937, 1938,
        places("Soviet Union", "Bykivnia", "Kurapaty", "Butovo firing range"), 700000,
        cut(t, "In light of revelations from Soviet archives, historians now estimate that nearly 700,000 people",
            "Bykivnia, Kurapaty and Butovo."))
    add("repression", 1937, 1938, places("Mongolia"), None,
        cut(t, "In addition, Stalin dispatched a contingent of NKVD operatives to Mongolia,",
            "executed as \"Japanese Spies.\""))
    add("repression", 1930, 1949, places("Catalonia"), None,
        cut(t, "During the 1930s and 1940s, the Soviet leadership sent NKVD squads into other countries",
            "in Catalonia (e.g., Andreu Nin)."))
    add("deportation", 1941, 1949, places(("Siberia", "destination"), ("Central Asia", "destination")), 3300000,
        cut(t, "It is estimated that between 1941 and 1949 nearly 3.3 million were deported to Siberia and the Central Asian republics."))
    add("deportation", 1941, 1949,
        places(("Caucasus", "origin"), ("Crimea", "origin"), ("Chechnya", "origin"),
               ("Volga German ASSR (Volga region)", "origin"),
               ("Kazakhstan", "destination"), ("Central Asia", "destination")), 1000000,
        cut(t, "After the brief Nazi occupation of the Caucasus, the entire population of five of the small highland peoples",
            "especially Kazakhstan in Soviet Central Asia."))
    add("repression", 1929, 1953, places("Soviet Union"), 14000000,
        cut(t, "According to official Soviet estimates, more than 14 million people passed through the Gulag from 1929 to 1953,",
            "(including the entire nationalities in several cases)."))
    add("deportation", 1929, 1953, places(("Soviet Union", "destination")), 7000000,
        cut(t, "According to official Soviet estimates, more than 14 million people passed through the Gulag from 1929 to 1953,",
            "(including the entire nationalities in several cases)."))
    add("famine", 1892, 1892, places("Russia"), 375000,
        cut(t, "The worst crop failure of late tsarist Russia, in 1892, had caused 375,000 to 400,000 deaths."))
    add("famine", 1932, 1933, places("Soviet Union"), 5000000,
        cut(t, "Famine affected other parts of the USSR.", "between 5 and 10 million people."))
    add("famine", 1932, 1933, places("Ukraine"), 2200000,
        cut(t, "Current estimates on the total number of casualties within Soviet Ukraine range mostly from 2.2 million to 4 to 5 million."))
    add("famine", 1947, 1947, places("Soviet Union"), 1000000,
        cut(t, "The USSR also experienced a major famine in 1947", "secondary population losses due to reduced fertility."))
    return E


def validate(events, text):
    for e in events:
        assert e["theme"] in THEMES, e
        assert isinstance(e["year_start"], int) and isinstance(e["year_end"], int), e
        assert e["year_start"] <= e["year_end"], e
        assert e["places"], e
        for p in e["places"]:
            assert p["role"] in ROLES, e
            assert -90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180, e
        assert e["people"] is None or isinstance(e["people"], int), e
        assert e["evidence"] and e["evidence"] in text, e
        assert len(e["evidence"]) < 1200, e


def main():
    for stem, fn, out in [("001_a1c100cb372226dc", build_001, "events_001.jsonl"),
                          ("004_91826b4300abae17", build_004, "events_004.jsonl")]:
        with open(os.path.join(CORPUS, stem + ".txt"), encoding="utf-8") as f:
            text = f.read()
        events = fn(text)
        validate(events, text)
        with open(os.path.join(HERE, out), "w", encoding="utf-8") as f:
            for e in events:
                f.write(json.dumps(e, ensure_ascii=False) + "\n")
        print(out, len(events))


if __name__ == "__main__":
    main()
