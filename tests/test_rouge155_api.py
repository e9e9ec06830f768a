"""harness.rouge155's options, errors and Python API (numbers against the script are in
test_rouge155_golden.py and test_rouge155_oracle.py)."""
import pytest

from harness.cli import main as harness_main
from harness.rouge155 import OptionError, Rouge155, parse_string
from harness.rouge155.command import main
from harness.rouge155.porter import stem
from harness.rouge155.resample import draws


@pytest.mark.parametrize("options, named", [
    ("-n 4 -q", "-q"), ("-n", "-n needs a value"), ("-n four", "-n wants an integer"), ("-l 10 -b 75", "-l and -b"),
    ("-3 HM", "-3"), ("-f C", "-f wants A or B"), ("-p 1.5", "-p"), ("-c 101", "-c"), ("-w 0", "-w"),
    ("-t 3", "-t"), ("-z XML", "-z"), ("-r 0", "-r"), ("-n 2 extra", "'extra' is not an option"), ("-m -M", "-M"),
])
def test_bad_option_strings_name_the_option(options, named):
    with pytest.raises(OptionError, match=named.replace("-", r"\-")):
        parse_string(options)


def test_options_bundle_and_attach_as_getopts_reads_them():
    o = parse_string("-amn4 -c95 -2 -1 -U -r1000")
    assert (o.all_systems, o.stem, o.ngram, o.confidence, o.skip, o.unigrams, o.resamples) == \
        (True, True, 4, "95", "-1", "U", 1000)


def test_measure_names_as_rouge_prints_them():
    assert Rouge155("-n 2 -w 1.2 -2 4 -U").names == ["ROUGE-1", "ROUGE-2", "ROUGE-L", "ROUGE-W-1.2", "ROUGE-S4", "ROUGE-SU4"]
    assert Rouge155("-x -2 -1 -u").names == ["ROUGE-SU*"]


def test_score_counts_pooled_over_references():
    """-f A pools hits and counts: R = 3/8 over two references, P = 3/(2 x 3)."""
    s = Rouge155("-n 1 -x").score(["the cat sat"], [["the cat"], ["a dog sat here on it"]])["ROUGE-1"]
    assert (s.recall, s.precision) == (0.375, 0.5)
    b = Rouge155("-n 1 -x -f B").score(["the cat sat"], [["the cat"], ["a dog sat here on it"]])["ROUGE-1"]
    assert (b.recall, b.precision) == (1.0, 0.66667)


def test_exception_table_before_porter():
    wn = Rouge155("-n 1 -x -m").score(["better"], [["good"]])["ROUGE-1"]
    none = Rouge155("-n 1 -x -m", exceptions="none").score(["better"], [["good"]])["ROUGE-1"]
    assert (wn.recall, none.recall) == (1.0, 0.0)
    assert stem("agreement") == "agreem"  # ROUGE's step 4 strips -ent after -ment and -ement fail


def test_perl_rand_stream():
    """srand(0); int(rand(25)) as perl 5.20+ draws it (checked against perl 5.36: 0.17082803610628972 x 25)."""
    assert draws(2, 25)[:, :2].tolist() == [[4, 18], [1, 11]]


def test_missing_files_and_bad_configs_exit_2(tmp_path, capsys):
    assert main(["-a", str(tmp_path / "nope.xml")]) == 2
    assert "nope.xml" in capsys.readouterr().err
    config = tmp_path / "c.xml"
    config.write_text(f'<ROUGE_EVAL><EVAL ID="1"><PEER-ROOT>{tmp_path}</PEER-ROOT><MODEL-ROOT>{tmp_path}</MODEL-ROOT>'
                      '<INPUT-FORMAT TYPE="SPL"/><PEERS><P ID="s">p.txt</P></PEERS><MODELS><M ID="A">m.txt</M>'
                      '</MODELS></EVAL></ROUGE_EVAL>')
    (tmp_path / "p.txt").write_text("a b c\n")
    assert harness_main(["rouge155", "-n", "1", "-a", str(config)]) == 2
    assert "m.txt" in capsys.readouterr().err
    (tmp_path / "m.txt").write_text("")
    assert main(["-n", "1", "-w", "1.2", "-a", str(config)]) == 2
    assert "ROUGE-W" in capsys.readouterr().err
    assert main(["-n", "1", "-a", str(config)]) == 0  # an empty model: ROUGE prints zeros
    assert "Average_R: 0.00000" in capsys.readouterr().out
    config.write_text(config.read_text().replace("SPL", "SIMPLE"))
    assert main(["-n", "1", "-a", str(config)]) == 2
    assert "SIMPLE" in capsys.readouterr().err


def test_file_list_config(tmp_path, capsys):
    (tmp_path / "p.txt").write_text("the cat sat\n")
    (tmp_path / "m.txt").write_text("the cat\n")
    (tmp_path / "list").write_text(f"# comment\n{tmp_path}/p.txt {tmp_path}/m.txt\n")
    assert main(["-z", "SPL", "-n", "1", "-x", "-d", str(tmp_path / "list")]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "X ROUGE-1 Eval 1.X R:1.00000 P:0.66667 F:0.80000"
