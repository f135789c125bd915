from benchmarks.load import _percentile, arrivals


def test_pupils_arrive_within_the_window_in_order():
    times = arrivals(300, 45, 1)

    assert len(times) == 300
    assert times == sorted(times)
    assert times[0] >= 0
    assert times[-1] <= 45
    assert len(set(times)) == 300


def test_a_burst_starts_its_pupils_at_the_same_instant():
    times = arrivals(300, 45, 30)

    assert len(set(times)) == 10
    assert len(set(times[:30])) == 1


def test_percentile_is_the_nearest_rank():
    values = list(range(1, 101))

    assert _percentile(values, 95) == 95
    assert _percentile(values, 50) == 50
    assert _percentile([7], 95) == 7
