import pytest

from bicorpus.cli import main, make_parser


def test_every_command_and_option_has_help(capsys):
    parser = make_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert set(sub.choices) >= {"build", "validate", "annotations"}
    commands = [([name], command) for name, command in sub.choices.items()]
    while commands:
        path, command = commands.pop()
        assert command.description, path
        for action in command._actions:
            if action.dest == "action":  # a group of sub-actions: check each of them
                commands += [(path + [name], p) for name, p in action.choices.items()]
                continue
            assert action.help, (path, action.dest)
        with pytest.raises(SystemExit) as done:
            main(path + ["--help"])
        assert done.value.code == 0
    assert "build" in capsys.readouterr().out


def test_unknown_document_is_reported(root, capsys):
    assert main(["validate", "--root", str(root), "--doc", "no_such_doc"]) == 1
    assert "no_such_doc/document.yaml: file is missing" in capsys.readouterr().err


def test_a_file_system_error_is_one_line(capsys):
    from bicorpus import cli

    code = cli.main(["fetch", "debian_handbook", "--cache", "/proc/bicorpus-cannot-make-this", "--quiet"])
    err = capsys.readouterr().err
    assert code == 1
    assert "/proc/bicorpus-cannot-make-this: No such file or directory" in err and "Traceback" not in err
