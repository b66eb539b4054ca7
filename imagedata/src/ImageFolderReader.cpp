#include "normad/imagedata/ImageFolderReader.h"

#include "normad/DatasetTask.h"

#include <QFile>
#include <QImage>
#include <QImageReader>

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <map>
#include <string_view>
#include <system_error>

namespace normad {

namespace fs = std::filesystem;

namespace {

bool isHidden(const fs::path& path)
{
    return isHiddenName(path.filename().string());
}

bool isImageFile(const fs::path& path)
{
    // The engine's list, so every image the project's folder reference covers is read (or refused by
    // name if Qt has no reader for it) and nothing else.
    return isDatasetImageName(path.filename().string());
}

bool isDirectory(const fs::path& path)
{
    std::error_code error;
    return fs::is_directory(path, error);
}

bool isRegularFile(const fs::path& path)
{
    std::error_code error;
    return fs::is_regular_file(path, error);
}

std::string joined(const std::string& folder, const std::string& relativePath)
{
    return (fs::path(folder) / fs::path(relativePath)).string();
}

/// Decodes one image to width × height grey bytes appended to `pixels`.
void decodeInto(const std::string& path, int width, int height, std::vector<std::uint8_t>& pixels)
{
    QImageReader reader(QFile::decodeName(QByteArray::fromStdString(path)));
    // Photos from cameras carry their orientation in EXIF; an upright image is what the user saw.
    reader.setAutoTransform(true);
    QImage image = reader.read();
    if (image.isNull())
        throw DatasetError(path + ": not a readable image (Qt: " + reader.errorString().toStdString() + ")");
    if (image.width() < 1 || image.height() < 1)
        throw DatasetError(path + ": the image is empty (0 pixels)");
    // Grey first, then scale: smooth scaling may hand back a colour format, so convert once more.
    image = image.convertToFormat(QImage::Format_Grayscale8);
    if (image.width() != width || image.height() != height)
        image = image.scaled(width, height, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    image = image.convertToFormat(QImage::Format_Grayscale8);
    // QImage pads each line to 4 bytes: copy line by line.
    for (int y = 0; y < height; ++y) {
        const uchar* line = image.constScanLine(y);
        pixels.insert(pixels.end(), line, line + width);
    }
}

} // namespace

ImageFolderListing listImageFolder(const std::string& folder)
{
    const fs::path root(folder);
    if (!isDirectory(root))
        throw DatasetError(folder + ": not a folder (an image dataset is a folder with one sub-folder per class)");

    std::vector<std::string> classNames;
    std::error_code error;
    for (fs::directory_iterator it(root, error), end; !error && it != end; it.increment(error)) {
        const fs::path& path = it->path();
        if (isHidden(path))
            continue;
        if (isDirectory(path))
            classNames.push_back(path.filename().string());
        else if (isImageFile(path) && isRegularFile(path))
            throw DatasetError(path.string() + ": an image directly in the dataset folder; each image belongs in "
                                               "the sub-folder named after its class");
    }
    if (error)
        throw DatasetError(folder + ": cannot list the folder (" + error.message() + ")");
    if (classNames.empty())
        throw DatasetError(folder + ": no class sub-folders (an image dataset has one sub-folder per class, "
                                    "holding that class's images)");
    // Sorted by bytes, so class indices depend neither on the file system's order nor on the locale.
    std::sort(classNames.begin(), classNames.end());

    ImageFolderListing listing;
    listing.classNames = classNames;
    for (int k = 0; k < static_cast<int>(classNames.size()); ++k) {
        const fs::path classFolder = root / classNames[static_cast<std::size_t>(k)];
        std::vector<std::string> files;
        fs::recursive_directory_iterator it(classFolder, error), end;
        for (; !error && it != end; it.increment(error)) {
            const fs::path& path = it->path();
            if (isHidden(path)) {
                if (it->is_directory(error))
                    it.disable_recursion_pending();
                continue;
            }
            if (isImageFile(path) && isRegularFile(path))
                files.push_back(fs::relative(path, root, error).generic_string());
        }
        if (error)
            throw DatasetError(classFolder.string() + ": cannot list the folder (" + error.message() + ")");
        if (files.empty())
            throw DatasetError(classFolder.string() + ": class \"" + classNames[static_cast<std::size_t>(k)] +
                               "\" has no images (no .png, .jpg, .jpeg or other image file in its folder)");
        for (std::string& file : files)
            listing.images.push_back({std::move(file), k});
    }
    std::sort(listing.images.begin(), listing.images.end(),
              [](const ImageFolderEntry& a, const ImageFolderEntry& b) { return a.relativePath < b.relativePath; });
    return listing;
}

Dataset readImageFolder(const std::string& folder, const ImageFolderOptions& options)
{
    if (options.width < 1 || options.height < 1)
        throw DatasetError(folder + ": image size " + std::to_string(options.width) + " × " +
                           std::to_string(options.height) + " pixels; width and height must be at least 1");
    const ImageFolderListing listing = listImageFolder(folder);
    const std::uint64_t features =
        static_cast<std::uint64_t>(options.width) * static_cast<std::uint64_t>(options.height);
    requireWithinMemoryLimit(estimateDatasetBytes(listing.images.size(), features, FeatureStorage::Bytes),
                             options.maxBytes, "The images of " + folder);

    std::vector<std::uint8_t> pixels;
    pixels.reserve(listing.images.size() * features);
    std::vector<int> labels;
    labels.reserve(listing.images.size());
    DatasetOrigin origin;
    origin.format = "image-folder";
    origin.files.push_back(folder);
    for (const ImageFolderEntry& entry : listing.images) {
        decodeInto(joined(folder, entry.relativePath), options.width, options.height, pixels);
        labels.push_back(entry.classIndex);
    }
    return Dataset::fromBytes(std::move(pixels), std::move(labels), listing.classNames, options.width, options.height,
                              std::move(origin));
}

void registerImageFolderReader()
{
    registerDatasetReader("image-folder",
                          [](const DatasetSourceSpec& source, const std::vector<std::string>& resolvedPaths) {
                              if (resolvedPaths.size() != 1)
                                  throw DatasetError("an image-folder source has one folder (got " +
                                                     std::to_string(resolvedPaths.size()) + " paths)");
                              ImageFolderOptions options;
                              if (source.imageWidth > 0)
                                  options.width = source.imageWidth;
                              if (source.imageHeight > 0)
                                  options.height = source.imageHeight;
                              return readImageFolder(resolvedPaths.front(), options);
                          });
}

} // namespace normad
