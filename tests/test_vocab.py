import numpy as np
import pytest
import torch

from course_utils import CharVocab


@pytest.fixture
def vocab():
    return CharVocab("hihello")


def test_characters_are_sorted_and_distinct(vocab):
    assert vocab.chars == ["e", "h", "i", "l", "o"]
    assert len(vocab) == 5


def test_vocabulary_does_not_depend_on_text_order():
    assert CharVocab("olleh").chars == CharVocab("hello").chars


def test_encode_decode_round_trip(vocab):
    ids = vocab.encode("hihell")
    assert ids == [1, 2, 1, 0, 3, 3]
    assert vocab.decode(ids) == "hihell"


def test_decode_accepts_a_tensor(vocab):
    assert vocab.decode(torch.tensor([2, 1, 0, 3, 3, 4])) == "ihello"


def test_one_hot_of_a_list(vocab):
    ids = vocab.encode("hio")
    x = vocab.one_hot(ids)
    assert x.shape == (3, 5)
    assert x.dtype == torch.float32
    assert torch.equal(x.sum(dim=1), torch.ones(3))
    assert torch.equal(x.argmax(dim=1), torch.tensor(ids))


def test_one_hot_of_a_batch_tensor(vocab):
    ids = torch.tensor([vocab.encode("hel"), vocab.encode("llo")])  # (batch=2, seq=3)
    x = vocab.one_hot(ids)
    assert x.shape == (2, 3, 5)  # (batch, seq, vocab)
    assert torch.equal(x.argmax(dim=-1), ids)


def test_membership(vocab):
    assert "h" in vocab
    assert "z" not in vocab


def test_unknown_character_names_it_and_the_known_ones(vocab):
    with pytest.raises(ValueError) as error:
        vocab.encode("hex")
    message = str(error.value)
    assert "'x'" in message
    assert "['e', 'h', 'i', 'l', 'o']" in message


@pytest.mark.parametrize("bad_ids", [[5], [-1], [0, 99]])
def test_ids_outside_the_vocabulary_are_rejected(vocab, bad_ids):
    with pytest.raises(ValueError, match="outside this vocabulary's range 0..4"):
        vocab.decode(bad_ids)
    with pytest.raises(ValueError, match="outside this vocabulary's range 0..4"):
        vocab.one_hot(bad_ids)


@pytest.mark.parametrize("bad_ids", [torch.tensor([0.0, 1.0]), [0.0, 1.0], [True], ["h"]])
def test_ids_must_be_whole_numbers(vocab, bad_ids):
    with pytest.raises(ValueError, match="whole numbers"):
        vocab.one_hot(bad_ids)
    with pytest.raises(ValueError, match="whole numbers"):
        vocab.decode(bad_ids)


def test_empty_ids(vocab):
    assert vocab.decode([]) == ""
    assert vocab.one_hot([]).shape == (0, 5)


def test_numpy_ids_are_accepted(vocab):
    assert vocab.decode(np.array([2, 1])) == "ih"
    assert vocab.one_hot(list(np.array([2, 1]))).shape == (2, 5)


@pytest.mark.parametrize("bad_text", ["", None, ["h", "i"]])
def test_vocabulary_needs_a_non_empty_string(bad_text):
    with pytest.raises(ValueError, match="non-empty string"):
        CharVocab(bad_text)
