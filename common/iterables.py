from itertools import islice


def batched(iterable, size):
    """Tuples of ``size`` items (the last one shorter): ``itertools.batched`` of Python 3.12."""
    iterator = iter(iterable)
    while batch := tuple(islice(iterator, size)):
        yield batch
