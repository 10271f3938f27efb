import pytest

from bicorpus.cli import main, make_parser


def test_every_command_and_option_has_help(capsys):
    parser = make_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert set(sub.choices) >= {"build", "validate"}
    for name, command in sub.choices.items():
        assert command.description, name
        for action in command._actions:
            assert action.help, (name, action.dest)
        with pytest.raises(SystemExit) as done:
            main([name, "--help"])
        assert done.value.code == 0
    assert "build" in capsys.readouterr().out


def test_unknown_document_is_reported(root, capsys):
    assert main(["validate", "--root", str(root), "--doc", "no_such_doc"]) == 1
    assert "no_such_doc/document.yaml: file is missing" in capsys.readouterr().err
