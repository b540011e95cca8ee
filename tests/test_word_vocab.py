import pytest
import torch

from course_utils import WordVocab


@pytest.fixture
def vocab():
    return WordVocab(["I feel hungry", "I feel fine"])


def test_specials_have_fixed_ids_then_sorted_words(vocab):
    assert vocab.tokens == ["<pad>", "<sos>", "<eos>", "<unk>", "I", "feel", "fine", "hungry"]
    assert (vocab.pad_id, vocab.sos_id, vocab.eos_id, vocab.unk_id) == (0, 1, 2, 3)
    assert vocab.words == ["I", "feel", "fine", "hungry"]
    assert len(vocab) == 8


def test_vocabulary_does_not_depend_on_sentence_order():
    assert WordVocab(["b a", "c"]).tokens == WordVocab(["c", "a b"]).tokens


def test_strings_and_token_lists_give_the_same_vocabulary():
    assert WordVocab(["I feel hungry ."]).tokens == WordVocab([["I", "feel", "hungry", "."]]).tokens


def test_accepts_a_generator():
    assert len(WordVocab(s for s in ["a b", "b c"])) == 4 + 3


def test_special_tokens_in_the_text_keep_their_ids():
    vocab = WordVocab(["a <unk> b"])
    assert vocab.words == ["a", "b"]
    assert vocab.encode("a <unk>") == [4, 3]


def test_encode_decode_round_trip(vocab):
    ids = vocab.encode("I feel hungry")
    assert ids == [4, 5, 7]
    assert vocab.decode(ids) == "I feel hungry"


def test_encode_a_token_list(vocab):
    assert vocab.encode(["feel", "fine"]) == [5, 6]


def test_encode_adds_sos_and_eos_on_request(vocab):
    assert vocab.encode("feel fine", add_eos=True) == [5, 6, 2]
    assert vocab.encode("feel fine", add_sos=True, add_eos=True) == [1, 5, 6, 2]


def test_unseen_word_encodes_to_unk_not_a_key_error(vocab):
    assert vocab.encode("I feel sleepy") == [4, 5, vocab.unk_id]
    assert vocab.decode(vocab.encode("I feel sleepy")) == "I feel <unk>"


def test_words_are_case_sensitive(vocab):
    assert vocab.encode("i") == [vocab.unk_id]


def test_decode_stops_at_eos_and_drops_pad_and_sos(vocab):
    assert vocab.decode([1, 4, 5, 7, 2, 6, 0, 0]) == "I feel hungry"
    assert vocab.decode([0, 4, 0, 5]) == "I feel"


def test_decode_can_keep_specials(vocab):
    assert vocab.decode([1, 4, 2, 0], keep_specials=True) == "<sos> I <eos> <pad>"


def test_decode_of_only_eos_is_empty(vocab):
    assert vocab.decode([2, 4]) == ""
    assert vocab.decode([]) == ""


def test_decode_accepts_a_1d_tensor(vocab):
    assert vocab.decode(torch.tensor([4, 5, 6, 2])) == "I feel fine"


def test_membership(vocab):
    assert "feel" in vocab
    assert "<pad>" in vocab
    assert "sleepy" not in vocab


def test_repr_shows_the_size_and_some_words(vocab):
    assert repr(vocab) == "WordVocab(4 words + 4 specials: I feel fine hungry)"
    long = WordVocab([" ".join(f"w{i}" for i in range(20))])
    assert repr(long).endswith("...)")


@pytest.mark.parametrize("sentence", ["", "   ", []])
def test_empty_sentence_is_a_clear_error(vocab, sentence):
    with pytest.raises(ValueError, match="empty"):
        vocab.encode(sentence)


def test_building_from_nothing_or_an_empty_sentence_is_an_error():
    with pytest.raises(ValueError, match="at least one sentence"):
        WordVocab([])
    with pytest.raises(ValueError, match="Sentence 1 is empty"):
        WordVocab(["a b", ""])


@pytest.mark.parametrize("tokens", [["a", ""], ["a b"], ["a", 3]])
def test_malformed_tokens_are_an_error(vocab, tokens):
    with pytest.raises(ValueError, match="non-empty strings without whitespace"):
        vocab.encode(tokens)


def test_a_sentence_must_be_a_string_or_a_list(vocab):
    with pytest.raises(ValueError, match="string or a list of tokens"):
        vocab.encode(42)


@pytest.mark.parametrize("ids", [[4, 8], [-1], torch.tensor([4, 99])])
def test_decode_rejects_ids_outside_the_vocabulary(vocab, ids):
    with pytest.raises(ValueError, match=r"outside this vocabulary's range 0\.\.7"):
        vocab.decode(ids)


@pytest.mark.parametrize("ids", [[4, 1.5], [True], torch.tensor([4.0])])
def test_decode_rejects_ids_that_are_not_whole_numbers(vocab, ids):
    with pytest.raises(ValueError, match="whole numbers"):
        vocab.decode(ids)


def test_decode_rejects_a_batch_tensor(vocab):
    with pytest.raises(ValueError, match="one sentence"):
        vocab.decode(torch.tensor([[4, 5], [6, 7]]))
