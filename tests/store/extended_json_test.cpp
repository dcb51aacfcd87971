// Extended JSON v2 as mongoexport writes it, turned into stored values. Expected values are
// worked out from the Extended JSON and BSON specifications, not from the code.
#include "store/extended_json.hpp"

#include <gtest/gtest.h>

using namespace pms;
using namespace pms::store;

namespace {

json::value convert(std::string_view text, ExtendedJsonOptions options = {}) {
  return from_extended_json(json::parse(text), options);
}

// The example of ../shared/pms-schema.md: bytes fa 43 43 73 92 4d e5 be 01 06 24 5e ab c6 7c 8f.
constexpr std::string_view kLegacyUuid = R"({"$binary": {"base64": "+kNDc5JN5b4BBiReq8Z8jw==", "subType": "03"}})";

TEST(ExtendedJson, LegacyUuidsReadInEachDriversByteOrder) {
  // Java: each 8-byte half reversed; the result is a valid version-4 UUID.
  EXPECT_EQ(convert(kLegacyUuid), "bee54d92-7343-43fa-8f7c-c6ab5e240601");
  EXPECT_EQ(convert(kLegacyUuid, {UuidRepresentation::standard}), "fa434373-924d-e5be-0106-245eabc67c8f");
  EXPECT_EQ(convert(kLegacyUuid, {UuidRepresentation::python_legacy}), "fa434373-924d-e5be-0106-245eabc67c8f");
  // C#: the first three groups little-endian.
  EXPECT_EQ(convert(kLegacyUuid, {UuidRepresentation::csharp_legacy}), "734343fa-4d92-bee5-0106-245eabc67c8f");
  // Subtype 4 is always the standard order, whatever the legacy setting.
  EXPECT_EQ(convert(R"({"$binary": {"base64": "+kNDc5JN5b4BBiReq8Z8jw==", "subType": "04"}})"),
            "fa434373-924d-e5be-0106-245eabc67c8f");
  // The legacy (v1) form old mongoexport writes.
  EXPECT_EQ(convert(R"({"$binary": "+kNDc5JN5b4BBiReq8Z8jw==", "$type": "3"})"), "bee54d92-7343-43fa-8f7c-c6ab5e240601");
  EXPECT_EQ(convert(R"({"$uuid": "FA434373-924D-E5BE-0106-245EABC67C8F"})"), "fa434373-924d-e5be-0106-245eabc67c8f");
}

TEST(ExtendedJson, UuidBytesAreTheInverseInEveryOrder) {
  const std::string stored = "\xfa\x43\x43\x73\x92\x4d\xe5\xbe\x01\x06\x24\x5e\xab\xc6\x7c\x8f";
  for (auto order : {UuidRepresentation::java_legacy, UuidRepresentation::standard, UuidRepresentation::python_legacy,
                     UuidRepresentation::csharp_legacy}) {
    EXPECT_EQ(uuid_bytes(uuid_string(stored, order), order).value_or(""), stored);
  }
  EXPECT_FALSE(uuid_bytes("bee54d92-7343-43fa-8f7c-c6ab5e24060", UuidRepresentation::standard));
  EXPECT_FALSE(uuid_bytes("bee54d92x7343-43fa-8f7c-c6ab5e240601", UuidRepresentation::standard));
  EXPECT_FALSE(uuid_bytes("bee54d92-7343-43fa-8f7c-c6ab5e24060g", UuidRepresentation::standard));
}

TEST(ExtendedJson, UuidRepresentationNames) {
  EXPECT_EQ(parse_uuid_representation("java-legacy"), UuidRepresentation::java_legacy);
  EXPECT_EQ(parse_uuid_representation("csharp-legacy"), UuidRepresentation::csharp_legacy);
  EXPECT_THROW(parse_uuid_representation("java"), std::invalid_argument);
}

TEST(ExtendedJson, DatesBecomeIsoUtcStringsWithMilliseconds) {
  EXPECT_EQ(convert(R"({"$date": "2025-11-08T07:33:16.175Z"})"), "2025-11-08T07:33:16.175Z");  // relaxed
  EXPECT_EQ(convert(R"({"$date": {"$numberLong": "1762587196175"}})"), "2025-11-08T07:33:16.175Z");  // canonical
  EXPECT_EQ(convert(R"({"$date": 1762587196175})"), "2025-11-08T07:33:16.175Z");
  EXPECT_EQ(convert(R"({"$date": "2025-11-08T09:33:16+02:00"})"), "2025-11-08T07:33:16.000Z");
  EXPECT_EQ(convert(R"({"$date": {"$numberLong": "-1000"}})"), "1969-12-31T23:59:59.000Z");
  EXPECT_EQ(convert(R"({"$date": "9999-12-31T23:59:59.999Z"})"), "9999-12-31T23:59:59.999Z");  // beyond 2262
  EXPECT_EQ(convert(R"({"$timestamp": {"t": 1700000000, "i": 1}})"), "2023-11-14T22:13:20.000Z");
}

TEST(ExtendedJson, NumbersKeepTheirValue) {
  EXPECT_EQ(convert(R"({"$numberInt": "42"})"), 42);
  EXPECT_EQ(convert(R"({"$numberLong": "9007199254740993"})").as_int64(), 9007199254740993);  // not a double
  EXPECT_EQ(convert(R"({"$numberDouble": "1.5"})"), 1.5);
  EXPECT_EQ(convert(R"({"$numberDecimal": "12.50"})"), 12.5);
  // JSON has no NaN or infinity.
  EXPECT_EQ(convert(R"({"$numberDouble": "NaN"})"), "NaN");
  EXPECT_EQ(convert(R"({"$numberDouble": "-Infinity"})"), "-Infinity");
}

TEST(ExtendedJson, OtherTypes) {
  EXPECT_EQ(convert(R"({"$oid": "65A1B2C3D4E5F60718293A4B"})"), "65a1b2c3d4e5f60718293a4b");
  EXPECT_EQ(convert(R"({"$binary": {"base64": "AAECAw==", "subType": "00"}})"), "AAECAw==");
  EXPECT_EQ(convert(R"({"$regularExpression": {"pattern": "^a.c", "options": "i"}})"), "/^a.c/i");
  EXPECT_EQ(convert(R"({"$symbol": "s"})"), "s");
  EXPECT_TRUE(convert(R"({"$undefined": true})").is_null());
  // Kept: the engine orders them below and above everything.
  EXPECT_EQ(convert(R"({"$minKey": 1})"), json::parse(R"({"$minKey": 1})"));
  // Query operators are not literals.
  EXPECT_EQ(convert(R"({"$regex": "x", "$options": "i"})"), json::parse(R"({"$regex": "x", "$options": "i"})"));
}

TEST(ExtendedJson, WholeDocumentsRecursively) {
  auto doc = convert(R"({
    "_id": {"$binary": {"base64": "+kNDc5JN5b4BBiReq8Z8jw==", "subType": "03"}},
    "createdTimeStamp": {"$date": {"$numberLong": "1762587196175"}},
    "assignee": [{"_id": {"$uuid": "00112233-4455-6677-8899-aabbccddeeff"}, "name": "Ann"}],
    "estimate": {"$numberInt": "3"}, "title": "plain"})");
  EXPECT_EQ(doc, json::parse(R"({
    "_id": "bee54d92-7343-43fa-8f7c-c6ab5e240601", "createdTimeStamp": "2025-11-08T07:33:16.175Z",
    "assignee": [{"_id": "00112233-4455-6677-8899-aabbccddeeff", "name": "Ann"}], "estimate": 3, "title": "plain"})"));
}

TEST(ExtendedJson, MalformedLiteralsSayWhatIsWrong) {
  auto message = [](std::string_view text) {
    try {
      convert(text);
    } catch (const ExtendedJsonError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message(R"({"$binary": {"base64": "AAECAwQFBgcICQoLDA0O", "subType": "04"}})").find("16 bytes"), std::string::npos);
  EXPECT_NE(message(R"({"$binary": {"base64": "!!!!", "subType": "00"}})").find("base64"), std::string::npos);
  EXPECT_NE(message(R"({"$binary": {"base64": "AAECAw==", "subType": "xyz"}})").find("subType"), std::string::npos);
  EXPECT_NE(message(R"({"$oid": "123"})").find("24 hex digits"), std::string::npos);
  EXPECT_NE(message(R"({"$numberInt": "3000000000"})").find("32-bit"), std::string::npos);
  EXPECT_NE(message(R"({"$numberLong": "12x"})").find("64-bit integer"), std::string::npos);
  EXPECT_NE(message(R"({"$date": "yesterday"})").find("ISO-8601"), std::string::npos);
  EXPECT_NE(message(R"({"$date": {"$numberLong": "999999999999999999"}})").find("years 0 to 9999"), std::string::npos);
  EXPECT_NE(message(R"({"$uuid": "not-a-uuid"})").find("8-4-4-4-12"), std::string::npos);
  EXPECT_NE(message(R"({"$uuid": "fa434373924de5be0106245eabc67c8f"})").find("8-4-4-4-12"), std::string::npos);
}

}  // namespace
