"""A wall-clock time the clocks pass twice (the night they are set back) was taken as the first moment without a
word by «plan add» and «plan edit» (tester P, item 11); a time that does not exist is refused, as before."""

from __future__ import annotations

TWICE = "2027-10-31 02:30"  # Europe/Berlin: 02:00–03:00 happens at UTC+02:00, then again at UTC+01:00


def test_plan_add_and_edit_say_which_of_the_two_moments_is_taken(demo_file, cli):
    status, out, err = cli("plan", "add", "1", "--kind", "call", "--tz", "Europe/Berlin", "--start",
                           "2027-10-30 02:30", "--duration", "30")
    assert status == 0, err
    assert "дважды" not in err  # an ordinary night: nothing said
    event_id = out.strip()
    status, _out, err = cli("plan", "edit", event_id, "--start", TWICE)
    assert status == 0, err
    assert ("31.10.2027 02:30 в зоне Europe/Berlin бывает дважды (в эту ночь часы переводят назад): взято первое, "
            "UTC+02:00; второе было бы UTC+01:00.") in err
    status, _out, err = cli("plan", "add", "1", "--kind", "call", "--tz", "Europe/Berlin", "--start", TWICE,
                            "--duration", "30")
    assert status == 0 and "бывает дважды" in err and "UTC+02:00" in err
    status, _out, err = cli("plan", "edit", event_id, "--duration", "45")
    assert status == 0 and "дважды" not in err  # the start not typed again: nothing to say
    status, _out, err = cli("plan", "edit", event_id, "--start", "2027-03-28 02:30")
    assert status == 2 and "не существует" in err, err
