"""Every input kind and encoding load_corpus reads: web pages, web archives, Media Cloud and Nexis exports,
encodings, separators, dates, title-only articles, duplicates across shards. Fixtures are written here."""

from __future__ import annotations

import codecs
import gzip
import io
import json

import pandas as pd
import pytest

from framing import (
    CorpusError,
    dropped_documents,
    extraction_log,
    input_files,
    input_summary,
    iter_corpus,
    load_corpus,
)
from framing.cli import main

from .conftest import SHARED

NEXIS = SHARED / "fixtures" / "nexis"
ARTICLE = "Kremlin spokesman Dmitry Peskov said talks with Kyiv were possible. The war went on."
PARAS = ["Delegations from both countries met in Istanbul on Tuesday to discuss a ceasefire, officials said.",
         "The talks in Kyiv were described as constructive by the foreign ministry, which gave no details.",
         "Negotiators are expected to meet again next week, according to a statement published on Wednesday."]
RUSSIAN = ("Министерство обороны России заявило, что войска отошли от Киева. Переговоры продолжатся в Стамбуле "
           "на следующей неделе.")


def _page(title, paras, *, site=None, url=None, charset=None, date="2022-03-13") -> str:
    head = f"<title>{title}</title><meta property='article:published_time' content='{date}'>"
    head += f"<meta charset='{charset}'>" if charset else ""
    head += f"<meta property='og:site_name' content='{site}'>" if site else ""
    head += f"<link rel='canonical' href='{url}'>" if url else ""
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (f"<html><head>{head}</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
            f"<article><h1>{title}</h1>{body}</article><footer>Copyright Example Media</footer></body></html>")


def _txt_folder(folder, files: dict[str, bytes]):
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    pd.DataFrame({"file": list(files), "outlet": [f"O{i}" for i in range(len(files))]}).to_csv(
        folder / "metadata.csv", index=False)
    return folder


# ------------------------------------------------------------------------------------- web pages
@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pages")
    (folder / "talks.html").write_text(_page("Talks resume", PARAS, site="The Daily",
                                             url="https://www.daily.example/world/talks"), "utf-8")
    with gzip.open(folder / "hopes.html.gz", "wt", encoding="utf-8") as fh:
        fh.write(_page("Ceasefire hopes", PARAS[::-1], url="https://news.example.org/a/2"))
    (folder / "missing.htm").write_text("<html><head><title>404 Not found</title></head><body><nav>"
                                        "<a href='/'>Home</a></nav><p>Page not found.</p></body></html>", "utf-8")
    return folder


def test_web_pages_become_articles_with_outlet_title_date_and_audit(pages):
    c = load_corpus(pages)
    assert sorted(c.index) == ["hopes", "talks"]  # the file name without its extensions
    assert c.loc["talks", "outlet"] == "The Daily"  # the page's site name
    assert c.loc["hopes", "outlet"] == "news.example.org"  # no site name: the URL's domain
    assert c.loc["talks", "title"] == "Talks resume"
    assert c.loc["talks", "published"] == pd.Timestamp("2022-03-13")
    assert c.loc["talks", "url"] == "https://www.daily.example/world/talks"
    assert c.loc["talks", "text"].split("\n") == PARAS  # paragraphs as lines; nav and footer gone
    log = extraction_log(c).set_index("doc_id")
    assert log.loc["talks", "extractor"].startswith("trafilatura ")
    assert log.loc["talks", "page_words"] > log.loc["talks", "kept_words"] == c.loc["talks", "n_words"]
    assert set(input_files(c)["role"]) == {"page"}


def test_a_page_without_an_article_is_listed_not_lost(pages):
    c = load_corpus(pages)
    [row] = dropped_documents(c).itertuples()
    assert row.doc_id == "missing" and row.source_file.endswith("missing.htm")
    assert row.reason.startswith("no article found on the page")
    summary = input_summary(c).set_index("kind")
    assert summary.loc["page", ["files", "articles", "extracted", "dropped"]].tolist() == [3, 2, 2, 1]


def test_metadata_csv_beside_pages_wins_by_file_or_url(pages, tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    for p in pages.iterdir():
        (folder / p.name).write_bytes(p.read_bytes())
    pd.DataFrame({"file": ["talks.html", None], "url": [None, "http://news.example.org/a/2/"],
                  "outlet": ["Daily (metadata)", "News (metadata)"]}).to_csv(folder / "metadata.csv", index=False)
    c = load_corpus(folder)
    assert c.loc["talks", "outlet"] == "Daily (metadata)" and c.loc["hopes", "outlet"] == "News (metadata)"


def test_media_cloud_export_joins_saved_pages_by_url(pages, tmp_path):
    export = tmp_path / "export.csv"
    pd.DataFrame({"stories_id": [11, 12], "publish_date": ["2022-03-14 08:00:00", "2022-01-01"],
                  "title": ["Talks resume", "Elsewhere"], "url": ["https://daily.example/world/talks/",
                                                                  "https://other.example/z"],
                  "language": ["en", "en"], "media_name": ["Daily (Media Cloud)", "Other"],
                  "media_url": ["https://daily.example", "https://other.example"]}).to_csv(export, index=False)
    with pytest.raises(CorpusError, match=r"Media Cloud export without article text.*metadata="):
        load_corpus(export)
    c = load_corpus(pages, metadata=export)
    assert c.loc["talks", "outlet"] == "Daily (Media Cloud)"
    assert c.loc["talks", "published"] == pd.Timestamp("2022-03-14 08:00:00")
    unmatched = dropped_documents(c)
    assert unmatched["reason"].str.contains("https://other.example/z").any()  # a story with no saved page


def test_media_cloud_export_with_text_needs_no_arguments(tmp_path):
    export = tmp_path / "mc.csv"
    pd.DataFrame({"stories_id": [7], "publish_date": ["2022-03-01 10:00:00"], "title": ["T"],
                  "url": ["https://a.example/x"], "language": ["uk"], "media_name": ["A News"],
                  "media_url": ["https://a.example"], "text": [ARTICLE]}).to_csv(export, index=False)
    c = load_corpus(export)
    assert list(c.index) == ["7"]
    assert c.loc["7", "outlet"] == "A News" and c.loc["7", "language"] == "uk"
    assert c.loc["7", "published"] == pd.Timestamp("2022-03-01 10:00:00")


def test_html_column_of_a_table(tmp_path):
    path = tmp_path / "scraped.parquet"
    pd.DataFrame({"outlet": ["A"], "html": [_page("Talks resume", PARAS)]}).to_parquet(path)
    c = load_corpus(path, html_col="html")
    assert c["text"].iloc[0].split("\n") == PARAS and c["title"].iloc[0] == "Talks resume"
    assert extraction_log(c)["kind"].tolist() == ["html"]


# ------------------------------------------------------------------------------------- web archives
def test_warc_html_responses_are_articles_others_are_skipped_and_counted(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)

        def response(url, status, ctype, body: bytes):
            http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=http,
                                                          warc_headers_dict={"WARC-Date": "2022-03-15T09:30:00Z"}))

        response("https://daily.example/talks", "200 OK", "text/html; charset=utf-8",
                 _page("Talks resume", PARAS, site="The Daily", date="").encode())
        response("https://daily.example/logo.png", "200 OK", "image/png", b"\x89PNG....")
        response("https://daily.example/gone", "404 Not Found", "text/html", b"<html>gone</html>")
    c = load_corpus(path)
    assert list(c.index) == ["crawl-000001"]
    assert c["url"].tolist() == ["https://daily.example/talks"] and c["outlet"].tolist() == ["The Daily"]
    assert c["published"].tolist() == [pd.Timestamp("2022-03-15 09:30:00")]  # no date on the page: WARC-Date
    reasons = dropped_documents(c)["reason"].tolist()
    assert len(reasons) == 2 and "not an HTML page (image/png)" in reasons[0] and "HTTP status 404" in reasons[1]


# ------------------------------------------------------------------------------------- Nexis exports
NEXIS_TEXT = """\ufeffDownload Request: Selected Items: 1-2
Terms: (kyiv)

                               1 of 2 DOCUMENTS

                                 The Daily Example

                            March 13, 2022 Sunday
                                   Edition 1;

Talks resume in
Istanbul

BYLINE: A. Reporter

SECTION: WORLD; Pg. 4

LENGTH: 24 words


Delegations met on Sunday to discuss a ceasefire and
prisoner exchanges, officials in Kyiv said.

The talks continue on Monday.

LOAD-DATE: March 14, 2022

LANGUAGE: ENGLISH

PUBLICATION-TYPE: Newspaper


                    Copyright 2022 The Daily Example
                              All Rights Reserved

                               2 of 2 DOCUMENTS

                                 Evening Example

                            March 14, 2022 Monday

Ceasefire hopes fade

LENGTH: 8 words

No agreement was reached in Kiev, a spokesman said.

LOAD-DATE: March 15, 2022

LANGUAGE: ENGLISH
"""


def test_nexis_text_export_two_documents(tmp_path):
    path = tmp_path / "nexis.txt"
    path.write_bytes(NEXIS_TEXT.replace("\n", "\r\n").encode("utf-8"))
    c = load_corpus(path)
    assert list(c.index) == ["nexis-000001", "nexis-000002"]
    first = c.loc["nexis-000001"]
    assert first["outlet"] == "The Daily Example" and first["title"] == "Talks resume in Istanbul"
    assert first["published"] == pd.Timestamp("2022-03-13") and first["byline"] == "A. Reporter"
    assert first["section"] == "WORLD; Pg. 4" and first["language"] == "ENGLISH"
    assert first["text"] == ("Delegations met on Sunday to discuss a ceasefire and prisoner exchanges, officials "
                             "in Kyiv said.\n\nThe talks continue on Monday.")  # metadata lines are not text
    assert c.loc["nexis-000002", "text"] == "No agreement was reached in Kiev, a spokesman said."
    assert set(extraction_log(c)["kind"]) == {"export"}


def test_nexis_docx_export_two_documents(tmp_path):
    import docx

    d = docx.Document()
    for p in ["Documents (2)", "1. Talks resume", "2. Ceasefire hopes", ""]:
        d.add_paragraph(p)
    for title, outlet, date, byline, body in [
            ("Talks resume", "The Daily Example", "March 13, 2022 Sunday 9:20 AM GMT", "A. Reporter",
             ["Delegations met on Sunday in Kyiv.", "The talks continue on Monday."]),
            ("Ceasefire hopes", "Evening Example", "March 14, 2022 Monday", "B. Writer", ["No agreement in Kiev."])]:
        for p in [title, outlet, date, "Copyright 2022 Example", "Section:\xa0WORLD", "Length:\xa012 words",
                  f"Byline:\xa0{byline}", "Body", *body, "Classification", "Language:\xa0ENGLISH",
                  "Load-Date:\xa0March 15, 2022", "End of Document"]:
            d.add_paragraph(p)
    path = tmp_path / "nexis.docx"
    d.save(path)
    c = load_corpus(path)
    assert c["title"].tolist() == ["Talks resume", "Ceasefire hopes"]
    assert c["outlet"].tolist() == ["The Daily Example", "Evening Example"]
    assert c["byline"].tolist() == ["A. Reporter", "B. Writer"] and c["language"].tolist() == ["ENGLISH"] * 2
    assert c["published"].tolist() == [pd.Timestamp("2022-03-13 09:20"), pd.Timestamp("2022-03-14")]
    assert c["text"].tolist() == ["Delegations met on Sunday in Kyiv.\nThe talks continue on Monday.",
                                  "No agreement in Kiev."]


@pytest.mark.shared
@pytest.mark.parametrize("name", ["sample.TXT", "sample.DOCX"])
def test_nexis_shared_sample(name):
    path = NEXIS / name
    if not path.exists():
        pytest.skip(f"shared sample absent: {path}")
    c = load_corpus(path, clean=False)
    assert len(c) == 10
    assert c["outlet"].notna().all() and c["published"].notna().all() and c["title"].notna().all()
    assert not c["text"].str.contains(r"(?m)^(?:BYLINE|LOAD-DATE|LANGUAGE|Load-Date|Byline):", regex=True).any()
    assert (c["n_words"] > 50).all()


# ------------------------------------------------------------------------------------- encodings
@pytest.mark.parametrize("encoding, text", [
    ("utf-16", ARTICLE), ("utf-32", ARTICLE), ("utf-8-sig", ARTICLE),
    ("cp1251", RUSSIAN),
    ("cp1252", "“Kyiv” said Zelensky’s office — talks resumed in Genève, where café owners watched the delegations arrive."),
    ("latin-1", "Les négociations ont repris à Genève, a déclaré le ministère français des Affaires étrangères."),
    ("euc-kr", "러시아 국방부는 키이우 인근에서 병력을 철수했다고 밝혔다. 협상은 다음 주 이스탄불에서 계속된다."),
    ("cp1256", "قالت وزارة الدفاع الروسية إن القوات انسحبت من محيط كييف. وستستمر المفاوضات في إسطنبول الأسبوع المقبل."),
    ("shift_jis", "ロシア国防省は、キーウ周辺から部隊を撤退させたと発表した。交渉は来週イスタンブールで続けられる。"),
])
def test_encodings_are_detected_and_recorded(tmp_path, encoding, text):
    data = (codecs.BOM_UTF16_LE + text.encode("utf-16-le") if encoding == "utf-16" else
            codecs.BOM_UTF32_LE + text.encode("utf-32-le") if encoding == "utf-32" else text.encode(encoding))
    c = load_corpus(_txt_folder(tmp_path / "f", {"a.txt": data}), clean=False)
    assert c.loc["a", "text"] == text
    assert c.loc["a", "encoding"].replace("_", "-") == encoding.replace("_", "-")


def test_nul_bytes_are_an_error_naming_the_file(tmp_path):
    (tmp_path / "a.csv").write_bytes(b"outlet,text\nA,hello\x00world\n")
    with pytest.raises(CorpusError, match=r"a\.csv, line 2: the file holds NUL bytes"):
        load_corpus(tmp_path / "a.csv")


def test_unsure_detection_says_to_pass_encoding_and_encoding_forces(tmp_path):
    folder = _txt_folder(tmp_path / "f", {"a.txt": "Москва".encode("cp1251")})
    with pytest.raises(CorpusError, match=r"a\.txt: not UTF-8, and its encoding cannot be told.*encoding="):
        load_corpus(folder)
    c = load_corpus(folder, encoding="cp1251", clean=False)
    assert c.loc["a", "text"] == "Москва" and c.loc["a", "encoding"] == "cp1251"


# ------------------------------------------------------------------------------------- tables as saved
def test_semicolon_csv_is_sniffed_and_sep_forces(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_text("id;outlet;date;title;text\n1;A;13/03/2022;T;Talks, said Kyiv.\n2;B;01/03/2022;U;More.\n")
    c = load_corpus(path)
    assert c["outlet"].tolist() == ["A", "B"] and c.loc["1", "text"] == "Talks, said Kyiv."
    path.write_text("id;outlet;text\n1;A;Talks in Kyiv.\n")
    with pytest.raises(CorpusError, match=r"no column 'outlet' .*\['id;outlet;text'\]"):
        load_corpus(path, sep=",")  # forced: one column


def test_dates_one_order_per_column_and_ambiguity_is_an_error(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("outlet,date,text\nA,13/03/2022,x y\nB,01/03/2022,x y\n")
    assert load_corpus(path)["published"].tolist() == [pd.Timestamp("2022-03-13"), pd.Timestamp("2022-03-01")]
    path.write_text("outlet,date,text\nA,02/03/2022,x y\nB,01/03/2022,x y\n")
    with pytest.raises(CorpusError, match=r"column 'date'.*dayfirst=.*--dayfirst"):
        load_corpus(path)
    assert load_corpus(path, dayfirst=False)["published"].tolist() == [pd.Timestamp("2022-02-03"),
                                                                      pd.Timestamp("2022-01-03")]


def test_time_zones_are_converted_to_utc_and_the_offset_kept(tmp_path):
    path = tmp_path / "tz.csv"
    path.write_text("outlet,published,text\nA,2022-03-13T10:00:00+02:00,x y\nB,2022-03-13 10:00,x y\n")
    c = load_corpus(path)
    assert c["published"].tolist() == [pd.Timestamp("2022-03-13 08:00"), pd.Timestamp("2022-03-13 10:00")]
    assert c["published_utc_offset"].tolist()[0] == "+02:00" and pd.isna(c["published_utc_offset"].iloc[1])


def test_title_without_body_is_kept_flagged_and_its_title_counts(tmp_path):
    from framing import count_hits

    path = tmp_path / "t.csv"
    path.write_text("outlet,title,text\nA,Shelling near Kiev,\nB,Other news,The talks went on.\n")
    c = load_corpus(path)
    assert len(c) == 2 and c.loc["t-000001", "n_words"] == 0
    log = extraction_log(c)
    assert log["doc_id"].tolist() == ["t-000001"] and log["note"].iloc[0].startswith("title only")
    counts = count_hits(c, "russia-ukraine")
    assert counts.query("group == 'A' and variant == 'kiev'")["n_hits"].sum() == 1


# ------------------------------------------------------------------------------------- duplicates
@pytest.fixture()
def two_shards(tmp_path):
    folder = tmp_path / "shards"
    (folder / "a").mkdir(parents=True)
    (folder / "b").mkdir()
    pd.DataFrame({"doc_id": ["x", "y"], "outlet": ["A", "A"], "text": [ARTICLE, ARTICLE]}).to_csv(
        folder / "a" / "part.csv", index=False)
    pd.DataFrame({"doc_id": ["x"], "outlet": ["B"], "text": [ARTICLE]}).to_parquet(folder / "b" / "part.parquet")
    return folder


def test_duplicate_ids_across_shards_name_both_places(two_shards):
    for read in (load_corpus, lambda p: list(iter_corpus(p, chunksize=1))):
        with pytest.raises(CorpusError, match=r"duplicate doc_id 'x': .*a/part\.csv, line 2 and .*part\.parquet, row 1"):
            read(two_shards)
    c = load_corpus(two_shards, skip_bad=True)
    assert list(c.index) == ["x", "y"] and c.loc["x", "outlet"] == "A"  # the first is kept
    [row] = dropped_documents(c).itertuples()
    assert row.doc_id == "x" and row.source_file.endswith("part.parquet") and "a/part.csv, line 2" in row.reason


def test_cli_corpus_prints_per_kind_and_uses_flags(pages, tmp_path, capsys):
    assert main(["corpus", str(pages)]) == 0
    out = capsys.readouterr().out
    [line] = [ln.split() for ln in out.splitlines() if ln.split()[:1] == ["page"]]
    assert line == ["page", "3", "2", "2", "1"]  # per kind: files read, articles, extracted, dropped
    assert "missing.htm" in out and "no article found on the page" in out  # the dropped page is listed
    path = tmp_path / "excel.csv"
    path.write_text("source;text\nA;x y\n")
    assert main(["corpus", str(path), "--sep", ";"]) == 2
    assert "--outlet-col" in capsys.readouterr().err
    assert main(["corpus", str(path), "--sep", ";", "--outlet-col", "source"]) == 0


def test_json_array_file(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps([{"outlet": "A", "text": ARTICLE}, {"outlet": "B", "text": ARTICLE}]))
    assert load_corpus(path)["outlet"].tolist() == ["A", "B"]
